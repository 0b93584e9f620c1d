import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import { Dec, type OfficialClose } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerBackfillCommand } from './backfill-command.js';
import { registerEodCommand } from './eod-command.js';

let stderr = '';
let stdout = '';

async function cli(...args: string[]): Promise<number | string | undefined> {
  const program = new Command().exitOverride();
  registerBackfillCommand(program);
  registerEodCommand(program);
  await program.parseAsync(args, { from: 'user' });
  return process.exitCode;
}

/** The sample's replay closes as `replay --closes` writes them, and their closing prices and FX. */
async function sampleFiles(): Promise<{ dir: string; closes: OfficialClose[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-eod-cli-'));
  const closes: OfficialClose[] = [];
  await replayDataset(SAMPLE_DIR, { onLevel: () => {}, onClose: (c) => closes.push(c) });
  writeFileSync(join(dir, 'closes.jsonl'), closes.map((c) => `${JSON.stringify(c)}\n`).join(''));
  const prices = new Map(
    closes.flatMap((c) => c.constituents.map((k) => [`${c.tradingDate},${k.symbol}`, k.price])),
  );
  const fx = new Map(closes.flatMap((c) => (c.fx === null ? [] : [[c.tradingDate, c.fx.rate]])));
  writeFileSync(
    join(dir, 'prices.csv'),
    `date,symbol,price\n${[...prices].map(([k, p]) => `${k},${p}`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'fx.csv'),
    `date,pair,rate\n${[...fx].map(([d, r]) => `${d},HKDCNY,${r}`).join('\n')}\n`,
  );
  return { dir, closes };
}

describe('indexflow backfill --closing-prices and eod export --opening (files, no Redis)', () => {
  beforeEach(() => {
    stderr = '';
    stdout = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => {
      stderr += String(t);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation((t) => {
      stdout += String(t);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('backfills closes from closing prices into --out, the dates and prices of the replay closes', async () => {
    const { dir, closes } = await sampleFiles();
    const out = join(dir, 'out.jsonl');
    const code = await cli(
      'backfill',
      '--closing-prices',
      join(dir, 'prices.csv'),
      '--indices',
      SAMPLE_DIR,
      '--fx',
      join(dir, 'fx.csv'),
      '--out',
      out,
    );
    expect(code).toBeUndefined();
    expect(stderr).toBe(`backfill: 6 closes written to ${out}\n`);
    const written = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as OfficialClose);
    expect(written.map((c) => `${c.tradingDate} ${c.indexId}`)).toEqual(
      closes.map((c) => `${c.tradingDate} ${c.indexId}`),
    );
    // initialLevel: based at the first date's closing prices.
    expect(written.filter((c) => c.tradingDate === '2025-03-20').map((c) => c.level)).toEqual(
      Array(3).fill('1000.000000000000000000000000'),
    );
    for (const [i, c] of written.entries())
      expect(c.constituents.map((k) => k.price)).toEqual(closes[i]!.constituents.map((k) => k.price));
  });

  it('refuses an unset REDIS_URL before computing, and a mixed or missing source', async () => {
    const { dir } = await sampleFiles();
    vi.stubEnv('REDIS_URL', '');
    expect(await cli('backfill', '--closing-prices', join(dir, 'prices.csv'), '--indices', SAMPLE_DIR)).toBe(
      2,
    );
    expect(stderr).toBe('error: set REDIS_URL (e.g. eval "$(bash scripts/services.sh env)")\n');
    vi.unstubAllEnvs();
    process.exitCode = undefined;
    stderr = '';
    expect(await cli('backfill', SAMPLE_DIR, '--closing-prices', join(dir, 'prices.csv'))).toBe(2);
    expect(stderr).toContain('give a <dataset-dir> of ticks, or --closing-prices');
    process.exitCode = undefined;
    stderr = '';
    expect(
      await cli('backfill', '--closing-prices', join(dir, 'prices.csv'), '--out', join(dir, 'x.jsonl')),
    ).toBe(2);
    expect(stderr).toContain('--closing-prices needs --indices');
  });

  it('writes the opening file of the next date from a close and the sample actions', async () => {
    const { dir, closes } = await sampleFiles();
    const close = closes.find((c) => c.indexId === '995365.SSI' && c.tradingDate === '2025-03-20')!;
    const code = await cli(
      'eod',
      'export',
      '--index',
      '995365.SSI',
      '--date',
      '2025-03-20',
      '--opening',
      '--actions',
      join(SAMPLE_DIR, 'actions.csv'),
      '--closes',
      join(dir, 'closes.jsonl'),
      '--definitions',
      SAMPLE_DIR,
    );
    expect(code).toBeUndefined();
    const [header, ...rows] = stdout.trim().split('\n');
    const cols = header!.split(',');
    const get = (row: string, name: string) => row.split(',')[cols.indexOf(name)]!;
    const bonus = rows.find((r) => get(r, 'symbol') === '300017.SZ')!;
    const before = close.constituents.find((c) => c.symbol === '300017.SZ')!;
    // Bonus 0.4: shares × 1.4, price ÷ 1.4 kept to 20 dp; the divisor stays.
    expect(get(bonus, 'index_shares')).toBe(new Dec(before.indexShares).times('1.4').toFixed());
    expect(get(bonus, 'reference_price')).toBe(
      new Dec(before.price).div('1.4').toDecimalPlaces(20).toFixed(),
    );
    expect(get(bonus, 'name')).toBe('网宿科技');
    expect(get(bonus, 'divisor')).toBe(close.divisor);
    // The file recomputes its own level; the 0.05 cash dividend of 600050.SH is the drop from the close.
    const sum = rows.reduce(
      (s, r) =>
        s.plus(new Dec(get(r, 'reference_price')).times(get(r, 'fx_rate')).times(get(r, 'index_shares'))),
      new Dec(0),
    );
    const level = sum.div(close.divisor).toFixed(24);
    expect(rows.every((r) => get(r, 'index_level') === level)).toBe(true);
    const unicomShares = close.constituents.find((c) => c.symbol === '600050.SH')!.indexShares;
    const drop = new Dec(close.level).minus(level);
    const dividendPoints = new Dec('0.05').times(unicomShares).div(close.divisor);
    // Beyond the dividend only the bonus's 20-dp reference-price residual remains (< 1e-16 points).
    expect(drop.minus(dividendPoints).abs().lt('1e-16')).toBe(true);
    expect(stderr).toContain('opening 995365.SSI 2025-03-21: 2 action(s) applied');
  });

  it('says which dates the closes file has when the close is missing', async () => {
    const { dir } = await sampleFiles();
    const code = await cli(
      'eod',
      'export',
      '--index',
      'X',
      '--date',
      '2025-03-20',
      '--opening',
      '--closes',
      join(dir, 'closes.jsonl'),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('error: no close of X on 2025-03-20 in');
  });
});
