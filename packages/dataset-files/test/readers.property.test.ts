import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DatasetIssue,
  MAX_LINE_BYTES,
  readActions,
  readFxRates,
  readLines,
  readTicks,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'indexflow-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Row fragments that once hurt: huge exponents, long fields, quotes, CR, formulas, far-off years. */
const fragment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '2025-01-06T09:30:00+08:00',
    '9999-12-31T23:59:59Z',
    '0000-01-01',
    '1736127000000',
    '600000.SH',
    '1e50000000',
    '1e309',
    '12.5',
    '"a,b"',
    '"',
    '\r',
    '=1+1',
    '\uFEFF',
    'HKDCNY',
    'split',
    '2025-01-07',
  ),
  fc.integer({ min: MAX_LINE_BYTES - 2, max: MAX_LINE_BYTES + 2 }).map((n) => 'x'.repeat(n)),
);
const row = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(','));
const body = fc.array(row, { maxLength: 30 });

function write(name: string, header: string, rows: string[]): number {
  writeFileSync(join(dir, name), [header, ...rows].join('\n'));
  // A line's trailing CR is its line ending, so a row of just "\r" is an empty line (skipped).
  return rows.filter((r) => r.replace(/\r$/, '').length > 0).length;
}

describe('dataset readers under arbitrary rows', () => {
  it('ticks and fx: every non-empty row becomes one event or one report; nothing throws', () => {
    fc.assert(
      fc.property(body, body, (ticks, fx) => {
        const tickRows = write('ticks.csv', 'ts,symbol,price', ticks);
        const fxRows = write('fx.csv', 'ts,pair,rate', fx);
        const issues: DatasetIssue[] = [];
        const tickEvents = [...readTicks(dir, (i) => issues.push(i))];
        const fxEvents = [...readFxRates(dir, (i) => issues.push(i))];
        expect(tickEvents.length + issues.filter((i) => i.file === 'ticks.csv').length).toBe(tickRows);
        expect(fxEvents.length + issues.filter((i) => i.file === 'fx.csv').length).toBe(fxRows);
        for (const issue of issues) expect(issue.detail.length).toBeLessThan(700);
      }),
      { numRuns: 150 },
    );
    // 300 files written and read: seconds on a loaded machine; the bound only catches a hang.
  }, 60_000);

  it('actions: every non-blank row is one action or one report; nothing throws', () => {
    fc.assert(
      fc.property(body, (rows) => {
        writeFileSync(
          join(dir, 'actions.csv'),
          ['exDate,type,symbol,index,ratio,price,amount,shares', ...rows].join('\n'),
        );
        const issues: DatasetIssue[] = [];
        const events = readActions(dir, (i) => issues.push(i));
        const actions = events.reduce((n, e) => n + e.actions.length, 0);
        expect(actions + issues.length).toBe(rows.filter((r) => r.trim() !== '').length);
      }),
      { numRuns: 150 },
    );
  });

  it('lines under the cap come back exactly; lines over it are skipped and counted', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')),
            fragment.map((s) => s.replace(/[\r\n]/g, '')),
          ),
          { maxLength: 20 },
        ),
        (lines) => {
          writeFileSync(join(dir, 'lines.txt'), lines.join('\n'));
          const read = [...readLines(join(dir, 'lines.txt'))];
          // A final newline ends the last line; it does not start an empty one.
          const expected = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
          expect(read.map((l) => l.lineNumber)).toEqual(expected.map((_, i) => i + 1));
          read.forEach((l, i) => {
            const text = i === 0 ? expected[i]!.replace(/^\uFEFF/, '') : expected[i]!;
            if (Buffer.byteLength(text) > MAX_LINE_BYTES)
              expect(l.overlong?.bytes).toBe(Buffer.byteLength(text));
            else expect(l.line).toBe(text);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
