import { closeSync, openSync, readSync } from 'node:fs';
import { echo } from '@indexflow/index-engine';

const CHUNK = 1 << 20;

/**
 * Longest line a dataset file may hold, in bytes (64 KiB) without its line ending. A longer
 * line is reported (`malformed_row`) and skipped without being buffered: reading resumes at the
 * next line, so a 100 MB field costs one pass over its bytes and no memory.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** What is kept of a line over MAX_LINE_BYTES: its length and its first characters. */
export interface OverlongLine {
  readonly bytes: number;
  readonly head: string;
}

/** One line of a file; `line` is null when the line was over MAX_LINE_BYTES and skipped. */
export type FileLine =
  | { readonly line: string; readonly lineNumber: number; readonly overlong?: undefined }
  | { readonly line: null; readonly lineNumber: number; readonly overlong: OverlongLine };

/** The malformed_row detail of a skipped line. */
export function overlongDetail(overlong: OverlongLine, maxLineBytes = MAX_LINE_BYTES): string {
  return `line is ${overlong.bytes} bytes, over the ${maxLineBytes}-byte limit; it began ${echo(overlong.head)}`;
}

const HEAD_BYTES = 1024;
const BOM = '\uFEFF';

function stripCr(raw: string): string {
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/**
 * Yields a file's lines (1-based line numbers, without the line ending) reading 1 MiB at a
 * time, so a multi-gigabyte tick file never sits in memory whole. A UTF-8 byte order mark at
 * the start is dropped. `maxLineBytes` is MAX_LINE_BYTES except for files whose lines are whole
 * records (JSON Lines closes). Synchronous on purpose: the replay is CPU-bound and a sync generator
 * costs far less per line than an async one.
 */
export function* readLines(path: string, maxLineBytes = MAX_LINE_BYTES): Generator<FileLine> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  // Bytes of a line not yet ended, kept as bytes so a character cut by a chunk boundary is whole when decoded.
  let carry = Buffer.alloc(0);
  let skipping: { bytes: number; head: string } | null = null;
  let lineNumber = 0;
  const line = (raw: string): FileLine => {
    lineNumber += 1;
    const text = lineNumber === 1 && raw.startsWith(BOM) ? raw.slice(1) : raw;
    if (text.length * 3 > maxLineBytes && Buffer.byteLength(text) > maxLineBytes) {
      return {
        line: null,
        lineNumber,
        overlong: { bytes: Buffer.byteLength(text), head: text.slice(0, 200) },
      };
    }
    return { line: stripCr(text), lineNumber };
  };
  try {
    for (;;) {
      const bytes = readSync(fd, buffer, 0, CHUNK, null);
      if (bytes === 0) break;
      const chunk = buffer.subarray(0, bytes);
      let start = 0;
      if (skipping !== null) {
        const newline = chunk.indexOf(10);
        if (newline === -1) {
          skipping.bytes += bytes;
          continue;
        }
        skipping.bytes += newline;
        lineNumber += 1;
        yield { line: null, lineNumber, overlong: skipping };
        skipping = null;
        start = newline + 1;
      }
      const lastNewline = chunk.lastIndexOf(10);
      if (lastNewline < start) {
        const rest = chunk.subarray(start);
        if (carry.length + rest.length > maxLineBytes) {
          const head = Buffer.concat([carry, rest.subarray(0, HEAD_BYTES)])
            .toString('utf8')
            .slice(0, 200);
          skipping = { bytes: carry.length + rest.length, head };
          carry = Buffer.alloc(0);
        } else {
          carry = Buffer.concat([carry, rest]);
        }
        continue;
      }
      const text = Buffer.concat([carry, chunk.subarray(start, lastNewline)]).toString('utf8');
      carry = Buffer.from(chunk.subarray(lastNewline + 1));
      let from = 0;
      for (;;) {
        const end = text.indexOf('\n', from);
        yield line(end === -1 ? text.slice(from) : text.slice(from, end));
        if (end === -1) break;
        from = end + 1;
      }
    }
    if (skipping !== null) yield { line: null, lineNumber: lineNumber + 1, overlong: skipping };
    else if (carry.length > 0) yield line(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}
