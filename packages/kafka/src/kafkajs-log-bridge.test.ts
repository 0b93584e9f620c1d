import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafkajsLogCreator, type StructuredLogger } from './kafkajs-log-bridge.js';

function recordingLogger(): StructuredLogger & { calls: [string, object, string][] } {
  const calls: [string, object, string][] = [];
  const at =
    (method: string) =>
    (fields: object, message: string): void => {
      calls.push([method, fields, message]);
    };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('createKafkajsLogCreator', () => {
  it('forwards each kafkajs level to the matching method, fields first', () => {
    const logger = recordingLogger();
    const log = createKafkajsLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, message: string) => ({
      namespace: 'Consumer',
      level,
      label: 'X',
      log: { timestamp: '2026-11-27T00:00:00.000Z', logger: 'kafkajs', message, groupId: 'g1' },
    });
    log(entry(logLevel.ERROR, 'Crash'));
    log(entry(logLevel.WARN, 'Slow'));
    log(entry(logLevel.INFO, 'Starting'));
    log(entry(logLevel.DEBUG, 'Fetch'));
    expect(logger.calls).toEqual([
      ['error', { kafkajsNamespace: 'Consumer', groupId: 'g1' }, 'Crash'],
      ['warn', { kafkajsNamespace: 'Consumer', groupId: 'g1' }, 'Slow'],
      ['info', { kafkajsNamespace: 'Consumer', groupId: 'g1' }, 'Starting'],
      ['debug', { kafkajsNamespace: 'Consumer', groupId: 'g1' }, 'Fetch'],
    ]);
  });
});
