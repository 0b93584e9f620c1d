import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DatasetIssue,
  readActions,
  readIndexDefinitions,
  replayDataset,
} from '@indexflow/dataset-files';
import { Dec, type OfficialClose } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { closesFromClosingPrices } from './closes-from-closing-prices.js';
import { EodInputError } from './eod-errors.js';
import { readClosingFx, readClosingPrices } from './read-closing-prices.js';

async function replayCloses(dir: string): Promise<OfficialClose[]> {
  const closes: OfficialClose[] = [];
  await replayDataset(dir, { onLevel: () => {}, onClose: (c) => closes.push(c) });
  return closes;
}

/**
 * The sample with each index's `initialLevel` replaced by the divisor the replay fixed for it (and
 * its base value kept as the previous close), so a run that sees only closing prices has the same base. (With `initialLevel` it would base the
 * index at the first date's closing prices instead of the first intraday moment all are priced.)
 */
async function sampleWithFixedDivisors(): Promise<{ dir: string; replayed: OfficialClose[] }> {
  const original = await replayCloses(SAMPLE_DIR);
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-closing-prices-'));
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  for (const name of readdirSync(join(dir, 'indices'))) {
    const path = join(dir, 'indices', name);
    const { initialLevel, ...json } = JSON.parse(readFileSync(path, 'utf8'));
    const first = original.find((c) => c.indexId === json.id)!;
    // A given divisor has no base value: the base value on the base date becomes the explicit
    // previous close, so day 1's change is against the same close.
    const previousClose = { date: json.referenceDate, level: initialLevel };
    writeFileSync(path, JSON.stringify({ ...json, divisor: first.divisor, previousClose }));
  }
  const replayed = await replayCloses(dir);
  // Same base, same events: the variant's replay is the sample's, close for close.
  expect(replayed).toEqual(original);
  return { dir, replayed };
}

/** The replay's closing prices (each day's last tick, checked against its closes) and HKDCNY, as the two CSVs. */
function closingPriceFiles(closes: readonly OfficialClose[], dir: string, fxColumn: boolean) {
  const prices = new Map<string, string>();
  const fx = new Map<string, string>();
  for (const close of closes) {
    for (const c of close.constituents) {
      const key = `${close.tradingDate},${c.symbol}`;
      // One closing price per symbol and date, whichever index closes it.
      expect(prices.get(key) ?? c.price).toBe(c.price);
      prices.set(key, c.price);
    }
    if (close.fx !== null) {
      expect(fx.get(close.tradingDate) ?? close.fx.rate).toBe(close.fx.rate);
      fx.set(close.tradingDate, close.fx.rate);
    }
  }
  // They are the last prices of each day in ticks.csv (the sample has no print after a close).
  const last = new Map<string, string>();
  for (const line of readFileSync(join(SAMPLE_DIR, 'ticks.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [ts, symbol, price] = line.split(',') as [string, string, string];
    last.set(`${ts.slice(0, 10)},${symbol}`, price);
  }
  const normalised = (m: Map<string, string>) =>
    [...m].map(([k, p]) => `${k},${new Dec(p).toFixed()}`).sort();
  expect(normalised(last)).toEqual(normalised(prices));
  const pricesPath = join(dir, 'closing-prices.csv');
  const fxPath = join(dir, 'closing-fx.csv');
  // The file holds the ticks' own strings (e.g. 42.80), as a vendor's closing prices would.
  const rows = [...last].map(([key, price]) => {
    const [date, symbol] = key.split(',') as [string, string];
    return `${key},${price}${fxColumn ? `,${symbol.endsWith('.HK') ? fx.get(date)! : ''}` : ''}`;
  });
  // Reversed: the file's row order must not matter.
  writeFileSync(pricesPath, `date,symbol,price${fxColumn ? ',HKDCNY' : ''}\n${rows.reverse().join('\n')}\n`);
  writeFileSync(fxPath, `date,pair,rate\n${[...fx].map(([d, r]) => `${d},HKDCNY,${r}`).join('\n')}\n`);
  return { pricesPath, fxPath };
}

/** What closing prices cannot know: the intraday path (open/high/low) and when the FX rate was observed. */
const comparable = (c: OfficialClose) => ({
  ...c,
  open: undefined,
  high: undefined,
  low: undefined,
  fx: c.fx === null ? null : { ...c.fx, eventTime: undefined },
});

async function run(dir: string, pricesPath: string, fxPath?: string) {
  const issues: DatasetIssue[] = [];
  const closes = await closesFromClosingPrices({
    definitions: readIndexDefinitions(dir),
    prices: readClosingPrices(pricesPath),
    fx: fxPath === undefined ? [] : readClosingFx(fxPath),
    adjustments: readActions(dir, () => {}),
    pricesFile: pricesPath,
    onIssue: (i) => issues.push(i),
  });
  return { closes, issues };
}

describe('closes from closing prices', () => {
  it('equal the offline replay closes of the sample when the prices are its closing prices', async () => {
    const { dir, replayed } = await sampleWithFixedDivisors();
    const dates = [...new Set(replayed.map((c) => c.tradingDate))];
    expect(dates).toEqual(['2025-03-20', '2025-03-21']);
    for (const fxColumn of [true, false]) {
      const { pricesPath, fxPath } = closingPriceFiles(replayed, dir, fxColumn);
      const { closes, issues } = await run(dir, pricesPath, fxColumn ? undefined : fxPath);
      expect(issues).toEqual([]);
      expect(closes.map(comparable)).toEqual(replayed.map(comparable));
      for (const c of closes) expect([c.open, c.high, c.low]).toEqual([c.level, c.level, c.level]);
    }
  });

  it("bases an initialLevel index at its first date's closing prices, and reports an unpriced constituent", async () => {
    const { dir, replayed } = await sampleWithFixedDivisors();
    const { pricesPath } = closingPriceFiles(replayed, dir, true);
    const lines = readFileSync(pricesPath, 'utf8').trim().split('\n');
    const dropped = lines.find((l) => l.startsWith('2025-03-21,688041.SH,'))!;
    writeFileSync(pricesPath, `${lines.filter((l) => l !== dropped).join('\n')}\n`);
    const { closes, issues } = await run(SAMPLE_DIR, pricesPath);
    const first = closes.filter((c) => c.tradingDate === '2025-03-20');
    expect(first.map((c) => c.level)).toEqual(first.map(() => '1000.000000000000000000000000'));
    expect(issues.map((i) => i.reason)).toContain('missing_closing_price');
    expect(issues.find((i) => i.reason === 'missing_closing_price')!.detail).toMatch(/688041\.SH/);
  });

  it('ignores a rate of a date without closing prices', async () => {
    const { dir, replayed } = await sampleWithFixedDivisors();
    const { pricesPath, fxPath } = closingPriceFiles(replayed, dir, false);
    const before = (await run(dir, pricesPath, fxPath)).closes;
    writeFileSync(fxPath, `${readFileSync(fxPath, 'utf8')}2025-03-22,HKDCNY,0.95\n2025-03-19,HKDCNY,0.9\n`);
    expect((await run(dir, pricesPath, fxPath)).closes).toEqual(before);
  });

  it('refuses a second price of a symbol on one date, and HKDCNY given twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-closing-prices-'));
    const path = join(dir, 'p.csv');
    writeFileSync(path, 'date,symbol,price\n2025-03-20,600000.SH,10\n2025-03-20,600000.SH,11\n');
    expect(() => readClosingPrices(path)).toThrow(EodInputError);
    expect(() => readClosingPrices(path)).toThrow(
      /:3: 600000\.SH already has a price on 2025-03-20 \(line 2\)/,
    );
    writeFileSync(path, 'date,symbol,price,HKDCNY\n2025-03-20,0700.HK,500,0.92\n2025-03-20,0020.HK,2,0.93\n');
    await expect(run(SAMPLE_DIR, path)).rejects.toThrow(/one closing rate per date/);
  });
});
