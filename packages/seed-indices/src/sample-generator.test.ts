import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from './index.js';
import { generateSample, SAMPLE_ACTIONS, SAMPLE_DAYS } from './sample-generator.js';
import { aShareLimitMilli, hkTickMilli, parseMilli } from './sample-prices.js';
import { loadSeedIndexDefinitions } from './seed-index-definitions.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const definitions = loadSeedIndexDefinitions();
const files = generateSample(definitions);
const ticks = files['ticks.csv']!.trimEnd()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [ts, symbol, price] = line.split(',') as [string, string, string];
    return { ts, symbol, price, day: ts.slice(0, 10), time: ts.slice(11, 19) };
  });

describe('sample dataset', () => {
  it('is byte-identical to a fresh in-memory run of the generator', () => {
    const onDisk = listFiles(SAMPLE_DIR)
      .map((f) => relative(SAMPLE_DIR, f).split('\\').join('/'))
      .sort();
    expect(onDisk).toEqual(Object.keys(files).sort());
    for (const [path, content] of Object.entries(files)) {
      expect(readFileSync(join(SAMPLE_DIR, path), 'utf8'), path).toBe(content);
    }
    expect(generateSample(definitions)).toEqual(files);
  });

  it('copies the seed definitions into indices/', () => {
    for (const d of definitions) {
      expect(JSON.parse(files[`indices/${d.id}.json`]!)).toEqual(d);
    }
  });

  it('has 5,000–20,000 rows, ticks in time order, with the documented headers', () => {
    const rows = Object.entries(files)
      .filter(([p]) => p.endsWith('.csv'))
      .reduce((n, [, c]) => n + c.trimEnd().split('\n').length - 1, 0);
    expect(rows).toBeGreaterThanOrEqual(5_000);
    expect(rows).toBeLessThanOrEqual(20_000);
    expect(files['ticks.csv']!.startsWith('ts,symbol,price\n')).toBe(true);
    expect(files['fx.csv']!.startsWith('ts,pair,rate\n')).toBe(true);
    expect(files['actions.csv']!.startsWith('exDate,type,symbol,index,ratio,price,amount,shares\n')).toBe(
      true,
    );
    for (let i = 1; i < ticks.length; i++) expect(ticks[i - 1]!.ts <= ticks[i]!.ts).toBe(true);
    for (const t of ticks) expect(t.ts).toMatch(/^2025-03-2[01]T\d\d:\d\d:\d\d\+08:00$/);
  });

  it('prints A-shares only in A-share sessions and HK names only in HK sessions', () => {
    for (const t of ticks) {
      const inA =
        t.time === '09:25:00' ||
        t.time === '15:00:00' ||
        (t.time > '09:30:00' && t.time < '11:30:00') ||
        (t.time >= '13:00:00' && t.time < '14:57:00');
      const inHk =
        t.time === '09:30:00' ||
        t.time === '16:08:00' ||
        (t.time > '09:30:00' && t.time < '12:00:00') ||
        (t.time >= '13:00:00' && t.time < '16:00:00');
      expect(t.symbol.endsWith('.HK') ? inHk : inA, `${t.ts} ${t.symbol}`).toBe(true);
    }
  });

  it('opens every constituent on day 1 at its reference price, before any other tick moves, with FX at referenceFx', () => {
    const reference = new Map(
      definitions.flatMap((d) => d.constituents.map((c) => [c.symbol, c.referencePrice])),
    );
    const lastOpen = '2025-03-20T09:30:00+08:00';
    for (const [symbol, price] of reference) {
      const first = ticks.find((t) => t.symbol === symbol)!;
      expect(first.price, symbol).toBe(price);
      expect(first.ts <= lastOpen, symbol).toBe(true);
    }
    // Nothing moves before the last constituent opens, so each index starts at its initial level.
    const moved = ticks.filter((t) => t.ts <= lastOpen).every((t) => reference.get(t.symbol) === t.price);
    expect(moved).toBe(true);
    const fx = files['fx.csv']!.split('\n')[1]!.split(',');
    expect(fx[0]! <= lastOpen && fx[2] === definitions[0]!.referenceFx).toBe(true);
  });

  it('keeps prices on the tick grid and A-shares within the daily limit of the (ex-adjusted) previous close', () => {
    const reference = new Map(
      definitions.flatMap((d) => d.constituents.map((c) => [c.symbol, c.referencePrice])),
    );
    for (const [symbol, referencePrice] of reference) {
      let prevClose = parseMilli(referencePrice);
      for (const day of SAMPLE_DAYS) {
        const dayTicks = ticks.filter((t) => t.symbol === symbol && t.day === day);
        expect(dayTicks.length).toBeGreaterThan(50);
        for (const action of SAMPLE_ACTIONS.filter((a) => a.symbol === symbol && a.exDate === day)) {
          prevClose =
            action.type === 'bonus'
              ? Math.round(prevClose / 10 / (1 + Number(action.ratio))) * 10
              : prevClose - parseMilli(action.amount);
        }
        const percent = /^(688|300)/.test(symbol) ? 20 : 10;
        for (const t of dayTicks) {
          const milli = parseMilli(t.price);
          if (symbol.endsWith('.HK')) {
            expect(milli % hkTickMilli(milli), t.ts).toBe(0);
          } else {
            expect(milli % 10).toBe(0);
            expect(milli).toBeGreaterThanOrEqual(aShareLimitMilli(prevClose, -percent));
            expect(milli).toBeLessThanOrEqual(aShareLimitMilli(prevClose, percent));
          }
        }
        prevClose = parseMilli(dayTicks.at(-1)!.price);
      }
    }
  });

  it('holds the illustrative day-2 actions', () => {
    expect(files['actions.csv']).toBe(
      'exDate,type,symbol,index,ratio,price,amount,shares\n2025-03-21,bonus,300017.SZ,,0.4,,,\n2025-03-21,cash_dividend,600050.SH,,,,0.05,\n',
    );
  });
});
