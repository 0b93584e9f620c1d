import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = new URL('../../../../', import.meta.url).pathname;
const CORPUS = join(ROOT, 'services/cli/test/fixtures/hostile');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'services/cli/src/main.ts');

/** Every directory a test made: the hostile dataset holds a 100 MB row, so none is left behind. */
const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

type DatasetFile = 'ticks.csv' | 'fx.csv' | 'actions.csv';

interface HostileRow {
  readonly file: DatasetFile;
  readonly row: string;
  readonly reason: string;
  readonly pad?: { readonly char: string; readonly count: number };
}

const HEADERS: Record<DatasetFile, string> = {
  'ticks.csv': 'ts,symbol,price',
  'fx.csv': 'ts,pair,rate',
  'actions.csv': 'exDate,type,symbol,index,ratio,price,amount,shares',
};
const START = Date.parse('2025-01-06T09:30:00+08:00');
const SYMBOLS = ['600000.SH', '000001.SZ', '0700.HK', '300750.SZ'];

/** Deterministic good rows: ~1,000 ticks four minutes apart and an HKDCNY quote every 40 ticks. */
function goodRows(): Record<DatasetFile, Array<{ time: number; text: string }>> {
  const ticks: Array<{ time: number; text: string }> = [];
  const fx: Array<{ time: number; text: string }> = [{ time: START - 60_000, text: '' }];
  let seed = 17;
  for (let i = 0; i < 1_000; i += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const time = START + i * 240_000;
    const symbol = SYMBOLS[i % SYMBOLS.length]!;
    ticks.push({ time, text: `${symbol},${(50 + (seed % 10_000) / 100).toFixed(2)}` });
    if (i % 40 === 20)
      fx.push({ time: time - 1, text: `HKDCNY,${(0.91 + (seed % 200) / 10_000).toFixed(4)}` });
  }
  fx[0]!.text = 'HKDCNY,0.9200';
  return { 'ticks.csv': ticks, 'fx.csv': fx, 'actions.csv': [] };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes a dataset of the good rows with (or without) the corpus rows spread among them, row by
 * row so a 100 MB field is never one string. Returns where each hostile row landed.
 */
function writeDataset(hostile: readonly HostileRow[]): {
  dir: string;
  lines: Array<HostileRow & { line: number }>;
} {
  const dir = tempDir('indexflow-hostile-');
  cpSync(join(CORPUS, 'indices'), join(dir, 'indices'), { recursive: true });
  const good = goodRows();
  const landed: Array<HostileRow & { line: number }> = [];
  for (const file of Object.keys(HEADERS) as DatasetFile[]) {
    const mine = hostile.filter((h) => h.file === file);
    const rows = good[file];
    const fd = openSync(join(dir, file), 'w');
    let line = 1;
    writeSync(fd, `${HEADERS[file]}\n`);
    const every = Math.max(1, Math.floor(rows.length / (mine.length + 1)));
    let next = 0;
    const writeHostile = (time: number) => {
      const h = mine[next]!;
      next += 1;
      line += 1;
      landed.push({ ...h, line });
      const text = h.row.replaceAll('{ts}', iso(time)).replaceAll('{past}', iso(time - 3_600_000));
      const [before, after] = text.split('{pad}');
      writeSync(fd, before!);
      if (h.pad !== undefined) {
        const chunk = h.pad.char.repeat(Math.min(h.pad.count, 1 << 20));
        for (let left = h.pad.count; left > 0; left -= chunk.length)
          writeSync(fd, left >= chunk.length ? chunk : chunk.slice(0, left));
      }
      writeSync(fd, `${after ?? ''}\n`);
    };
    rows.forEach((row, i) => {
      line += 1;
      writeSync(fd, `${iso(row.time)},${row.text}\n`);
      if ((i + 1) % every === 0 && next < mine.length) writeHostile(row.time);
    });
    while (next < mine.length) writeHostile(rows.at(-1)?.time ?? START);
    closeSync(fd);
  }
  return { dir, lines: landed };
}

function indexflow(args: string[]) {
  const started = performance.now();
  const run = spawnSync(TSX, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, ms: performance.now() - started };
}

const corpus = JSON.parse(readFileSync(join(CORPUS, 'hostile-rows.json'), 'utf8')) as HostileRow[];

describe('replay of the hostile corpus', () => {
  it('reports every hostile row with its reason and gives the good rows the levels of a clean replay', () => {
    const hostile = writeDataset(corpus);
    const clean = writeDataset([]);
    const flags = ['--reject-unknown-symbols', '--out'];
    const dirty = indexflow(['replay', hostile.dir, ...flags, join(hostile.dir, 'levels.csv')]);
    const reference = indexflow(['replay', clean.dir, ...flags, join(clean.dir, 'levels.csv')]);
    process.stdout.write(
      `hostile replay: ${dirty.ms.toFixed(0)} ms (clean: ${reference.ms.toFixed(0)} ms)\n`,
    );
    expect(reference.stderr).toMatch(/rejected 0\n/);
    expect(dirty.status).toBe(0);
    const reports = dirty.stderr.split('\n').filter((l) => /^[a-z]+\.csv:\d+: /.test(l));
    const reasonOf = (report: string) => report.split(': ', 2).join(': ');
    const byLine = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
    expect(reports.map(reasonOf).sort(byLine)).toEqual(
      hostile.lines.map((h) => `${h.file}:${h.line}: ${h.reason}`).sort(byLine),
    );
    // Echoed values are cut: no report carries a field whole.
    expect(Math.max(...reports.map((l) => l.length))).toBeLessThan(700);
    const levels = readFileSync(join(hostile.dir, 'levels.csv'), 'utf8');
    expect(levels.split('\n').length).toBeGreaterThan(900);
    expect(levels).toBe(readFileSync(join(clean.dir, 'levels.csv'), 'utf8'));
  });

  it('exits non-zero under --strict', () => {
    const { dir } = writeDataset(corpus.filter((h) => h.pad === undefined || h.pad.count < 10_000));
    const run = indexflow(['replay', dir, '--strict', '--quiet', '--out', join(dir, 'levels.csv')]);
    expect(run.status).toBe(1);
  });

  it.each(readdirSync(join(CORPUS, 'bad-indices')).filter((name) => !name.endsWith('.json')))(
    'refuses the index files of %s at load with <file>: <field>: <reason> and exit code 2',
    (name) => {
      const fields = JSON.parse(readFileSync(join(CORPUS, 'bad-indices/fields.json'), 'utf8')) as Record<
        string,
        string
      >;
      const dir = tempDir('indexflow-bad-index-');
      cpSync(join(CORPUS, 'bad-indices', name), dir, { recursive: true });
      cpSync(join(CORPUS, 'hostile-rows.json'), join(dir, 'ticks.csv'));
      const run = indexflow(['replay', dir, '--out', join(dir, 'levels.csv')]);
      expect(run.status).toBe(2);
      const field = fields[name]!.replace(/[[\]]/g, '\\$&');
      expect(run.stderr).toMatch(new RegExp(`indices/[a-zA-Z.]+json: ${field}: `));
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('every command that loads index files', () => {
  it.each([
    ['proforma', (dir: string) => ['proforma', '--dataset', dir, '--date', '2025-01-07', '--index', 'BAD']],
    ['backfill', (dir: string) => ['backfill', dir, '--out', join(dir, 'closes.jsonl')]],
    [
      'actions import',
      (dir: string) => ['actions', 'import', '--indices', dir, join(dir, 'indices/BAD.json')],
    ],
    ['simulate', (dir: string) => ['simulate', '--indices', dir, '--out', join(dir, 'simulated')]],
  ])('%s refuses a bad index file with <file>: <field>: <reason> and exit code 2', (_, args) => {
    const dir = tempDir('indexflow-bad-index-');
    cpSync(join(CORPUS, 'bad-indices', 'shares-zero'), dir, { recursive: true });
    const run = indexflow(args(dir));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /indices\/BAD\.json: constituents\[600000\.SH\]\.shares: shares "0" is not positive\n/,
    );
  });
});
