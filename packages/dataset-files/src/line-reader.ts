import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

/**
 * Yields a file's lines (1-based line numbers, without the line ending) reading 1 MiB at a
 * time, so a multi-gigabyte tick file never sits in memory whole. Synchronous on purpose: the
 * replay is CPU-bound and a sync generator costs far less per line than an async one.
 */
export function* readLines(path: string): Generator<{ line: string; lineNumber: number }> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let carry = '';
  let lineNumber = 0;
  try {
    for (;;) {
      const bytes = readSync(fd, buffer, 0, CHUNK, null);
      if (bytes === 0) break;
      // Split on the last newline so a multi-byte UTF-8 character is never cut in two.
      const lastNewline = buffer.lastIndexOf(10, bytes - 1);
      let text: string;
      if (lastNewline === -1) {
        carry += buffer.toString('utf8', 0, bytes);
        continue;
      }
      text = carry + buffer.toString('utf8', 0, lastNewline);
      carry = buffer.toString('utf8', lastNewline + 1, bytes);
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        const raw = end === -1 ? text.slice(start) : text.slice(start, end);
        lineNumber += 1;
        yield { line: raw.endsWith('\r') ? raw.slice(0, -1) : raw, lineNumber };
        if (end === -1) break;
        start = end + 1;
      }
    }
    if (carry.length > 0) {
      lineNumber += 1;
      yield { line: carry.endsWith('\r') ? carry.slice(0, -1) : carry, lineNumber };
    }
  } finally {
    closeSync(fd);
  }
}
