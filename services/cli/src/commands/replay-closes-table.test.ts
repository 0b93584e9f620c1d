// The table `indexflow replay` prints: official closes (the engine's close records), never the
// day's last level, which for indices with HK names includes FX moves after the close.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dec, formatFixed } from '@indexflow/index-engine';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'services/cli/src/main.ts');
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const dir = mkdtempSync(join(tmpdir(), 'indexflow-closes-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay closes table', () => {
  it('prints each date’s official close, the previous one, change and %, with a header for every column', () => {
    const closesFile = join(dir, 'closes.jsonl');
    const run = spawnSync(
      TSX,
      [MAIN, 'replay', SAMPLE, '--out', join(dir, 'levels.csv'), '--closes', closesFile],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]!.trim().split(/\s{2,}/)).toEqual([
      'date',
      'index',
      'close',
      'prev close',
      'change',
      '%',
      'basis',
      'sequence',
    ]);
    const records = readFileSync(closesFile, 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            indexId: string;
            tradingDate: string;
            level: string;
            prevClose: string | null;
          },
      );
    expect(records.length).toBeGreaterThan(0);
    for (const close of records) {
      const row = lines.find((l) => l.startsWith(`${close.tradingDate}  ${close.indexId}`));
      expect(row, `${close.tradingDate} ${close.indexId}`).toBeDefined();
      const cells = row!.trim().split(/\s+/);
      expect(cells[2]).toBe(formatFixed(new Dec(close.level), 4));
      expect(close.prevClose, 'every sample close has a previous one (day 1: the base value)').not.toBeNull();
      const prev = new Dec(close.prevClose!);
      expect(cells[3]).toBe(formatFixed(prev, 4));
      // change and % against the previous official close, computed here by hand.
      const change = new Dec(close.level).minus(prev);
      const sign = change.isNegative() ? '' : '+';
      expect(cells[4]).toBe(`${sign}${formatFixed(change, 4)}`);
      expect(cells[5]).toBe(`${sign}${formatFixed(change.times(100).div(prev), 2)}%`);
      expect(cells[6]).toBe('official');
    }
    // 995366.SSI holds HK names: its last level of a day moves with FX after the close.
    const levels = readFileSync(join(dir, 'levels.csv'), 'utf8').trim().split('\n');
    const lastOfDay = levels.filter((l) => l.includes(',995366.SSI,') && l.startsWith('2025-03-20')).at(-1)!;
    const hk = records.find((r) => r.indexId === '995366.SSI' && r.tradingDate === '2025-03-20')!;
    expect(formatFixed(new Dec(lastOfDay.split(',')[2]!), 4)).not.toBe(formatFixed(new Dec(hk.level), 4));
  }, 120_000);
});
