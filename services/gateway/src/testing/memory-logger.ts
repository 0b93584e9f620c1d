import { Writable } from 'node:stream';
import type { Logger } from '@indexflow/observability';
import { pino } from 'pino';

/** A pino logger that writes its JSON lines into memory, so a test can check what was logged. */
export function createMemoryLogger(level = 'debug'): { logger: Logger; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { logger: pino({ level }, sink), text: () => text };
}
