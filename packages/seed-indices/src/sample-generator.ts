import { formatLocalTimestamp } from '@indexflow/market-calendar';
import { serializeSeedIndexDefinition } from './build-seed-index-definition.js';
import { fnv1a32, mulberry32 } from './mulberry32.js';
import {
  A_SHARE_TICK_MILLI,
  aShareLimitMilli,
  formatMilli,
  hkTickMilli,
  parseMilli,
  roundToTick,
} from './sample-prices.js';
import type { SeedIndexDefinition } from './seed-index-definitions.js';

/** Seed of the sample's random walk. Changing it changes every generated file. */
export const SAMPLE_SEED = 20250320;

/** The two trading days of the sample (both markets open on both). */
export const SAMPLE_DAYS = ['2025-03-20', '2025-03-21'] as const;

export interface SampleAction {
  readonly exDate: string;
  readonly type: 'bonus' | 'cash_dividend';
  readonly symbol: string;
  /** Empty: the action applies to every index holding the symbol. */
  readonly index: string;
  readonly ratio: string;
  readonly price: string;
  readonly amount: string;
  readonly shares: string;
}

/** Illustrative corporate actions on day 2 (not real announcements). */
export const SAMPLE_ACTIONS: readonly SampleAction[] = [
  // 10送4: 0.4 bonus shares per share.
  {
    exDate: '2025-03-21',
    type: 'bonus',
    symbol: '300017.SZ',
    index: '',
    ratio: '0.4',
    price: '',
    amount: '',
    shares: '',
  },
  // CNY 0.05 per share cash dividend.
  {
    exDate: '2025-03-21',
    type: 'cash_dividend',
    symbol: '600050.SH',
    index: '',
    ratio: '',
    price: '',
    amount: '0.05',
    shares: '',
  },
];

/** A-share continuous-trading minutes (start of minute, minutes after midnight): 09:30–11:29, 13:00–14:56. */
const A_SHARE_MINUTES = [...range(9 * 60 + 30, 11 * 60 + 30), ...range(13 * 60, 14 * 60 + 57)];
/** HK continuous-trading minutes: 09:30–11:59, 13:00–15:59. */
const HK_MINUTES = [...range(9 * 60 + 30, 12 * 60), ...range(13 * 60, 16 * 60)];
const SESSION_STARTS = new Set([9 * 60 + 30, 13 * 60]);

const A_OPEN_PRINT = (9 * 60 + 25) * 60;
const A_CLOSE_PRINT = 15 * 60 * 60;
const HK_OPEN_PRINT = (9 * 60 + 30) * 60;
const HK_CLOSE_PRINT = (16 * 60 + 8) * 60;
/** Chance that a symbol prints in a given minute. */
const PRINT_PROBABILITY = 0.5;
const FX_TIMES = [9 * 3600, 11 * 3600, 14 * 3600, 16 * 3600 + 30 * 60];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function timestamp(day: string, secondOfDay: number): string {
  return formatLocalTimestamp(day, secondOfDay * 1000, 'ashare');
}

/** An approximately standard normal draw (Irwin–Hall, 12 uniforms): only + and −, so bit-reproducible. */
function normal(random: () => number): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += random();
  return sum - 6;
}

/** ±20 % for STAR (688) and ChiNext (300), ±10 % for the main boards. */
function limitPercent(symbol: string): number {
  return symbol.startsWith('688') || symbol.startsWith('300') ? 20 : 10;
}

function dailyVolatility(symbol: string): number {
  if (['601728.SH', '600050.SH', '600941.SH'].includes(symbol)) return 0.012;
  if (symbol === '3896.HK') return 0.05;
  if (symbol.endsWith('.HK')) return 0.03;
  return limitPercent(symbol) === 20 ? 0.04 : 0.025;
}

/** Returns the exchange ex-date reference price (milli) after a bonus or cash dividend (methodology §2.6). */
function exReferenceMilli(prevCloseMilli: number, action: SampleAction): number {
  const cents = prevCloseMilli / A_SHARE_TICK_MILLI;
  if (action.type === 'bonus') {
    // prevClose / (1 + ratio), half-up to 0.01; ratio given in tenths.
    const tenths = Math.round(Number(action.ratio) * 10);
    return Math.floor((2 * cents * 10 + 10 + tenths) / (2 * (10 + tenths))) * A_SHARE_TICK_MILLI;
  }
  return prevCloseMilli - parseMilli(action.amount);
}

interface TickRow {
  readonly ts: string;
  readonly symbol: string;
  readonly price: string;
}

function symbolTicks(symbol: string, referencePrice: string): TickRow[] {
  const random = mulberry32((SAMPLE_SEED ^ fnv1a32(symbol)) >>> 0);
  const isHk = symbol.endsWith('.HK');
  const minutes = isHk ? HK_MINUTES : A_SHARE_MINUTES;
  const dayVol = dailyVolatility(symbol);
  const tickVol = dayVol / Math.sqrt(minutes.length * PRINT_PROBABILITY);
  const rows: TickRow[] = [];
  let prevClose = parseMilli(referencePrice);
  for (const [dayIndex, day] of SAMPLE_DAYS.entries()) {
    for (const action of SAMPLE_ACTIONS) {
      if (action.symbol === symbol && action.exDate === day) prevClose = exReferenceMilli(prevClose, action);
    }
    const percent = limitPercent(symbol);
    const low = isHk ? 1 : aShareLimitMilli(prevClose, -percent);
    const high = isHk ? Number.MAX_SAFE_INTEGER : aShareLimitMilli(prevClose, percent);
    const step = (from: number, vol: number): number => {
      const raw = from * (1 + vol * normal(random));
      const price = roundToTick(raw, isHk ? hkTickMilli(raw) : A_SHARE_TICK_MILLI);
      return Math.min(high, Math.max(low, price));
    };
    // Day 1 opens at the reference price, so every index starts at its initial level.
    let last = dayIndex === 0 ? prevClose : step(prevClose, dayVol * 0.3);
    rows.push({ ts: timestamp(day, isHk ? HK_OPEN_PRINT : A_OPEN_PRINT), symbol, price: formatMilli(last) });
    for (const minute of minutes) {
      if (random() >= PRINT_PROBABILITY) continue;
      const second = SESSION_STARTS.has(minute) ? 1 + Math.floor(random() * 59) : Math.floor(random() * 60);
      last = step(last, tickVol);
      rows.push({ ts: timestamp(day, minute * 60 + second), symbol, price: formatMilli(last) });
    }
    last = step(last, tickVol);
    rows.push({
      ts: timestamp(day, isHk ? HK_CLOSE_PRINT : A_CLOSE_PRINT),
      symbol,
      price: formatMilli(last),
    });
    prevClose = last;
  }
  return rows;
}

function fxRows(referenceFx: string): string[] {
  const random = mulberry32((SAMPLE_SEED ^ fnv1a32('HKDCNY')) >>> 0);
  // Rate in units of 0.0001 CNY per HKD.
  let rate = Math.round(Number(referenceFx) * 10_000);
  const rows: string[] = [];
  for (const [dayIndex, day] of SAMPLE_DAYS.entries()) {
    for (const [i, second] of FX_TIMES.entries()) {
      if (dayIndex > 0 || i > 0) rate += Math.floor(random() * 5) - 2;
      rows.push(
        `${timestamp(day, second)},HKDCNY,${Math.floor(rate / 10_000)}.${String(rate % 10_000).padStart(4, '0')}`,
      );
    }
  }
  return rows;
}

/**
 * Generates the sample dataset for the given seed indices, as file contents keyed by path relative to
 * the sample directory: indices/<id>.json, ticks.csv, fx.csv and actions.csv. Pure and deterministic.
 */
export function generateSample(definitions: readonly SeedIndexDefinition[]): Record<string, string> {
  const files: Record<string, string> = {};
  const referencePrices = new Map<string, string>();
  for (const definition of definitions) {
    files[`indices/${definition.id}.json`] = serializeSeedIndexDefinition(definition);
    for (const c of definition.constituents) {
      const seen = referencePrices.get(c.symbol);
      if (seen !== undefined && seen !== c.referencePrice) {
        throw new Error(`symbol ${c.symbol} has reference prices ${seen} and ${c.referencePrice}`);
      }
      referencePrices.set(c.symbol, c.referencePrice);
    }
  }
  const ticks = [...referencePrices.keys()]
    .sort()
    .flatMap((symbol) => symbolTicks(symbol, referencePrices.get(symbol)!))
    .sort((a, b) =>
      a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
    );
  files['ticks.csv'] = `ts,symbol,price\n${ticks.map((t) => `${t.ts},${t.symbol},${t.price}\n`).join('')}`;
  const referenceFx = definitions[0]?.referenceFx ?? '0.9230';
  files['fx.csv'] = `ts,pair,rate\n${fxRows(referenceFx)
    .map((r) => `${r}\n`)
    .join('')}`;
  const actionLines = SAMPLE_ACTIONS.map((a) =>
    [a.exDate, a.type, a.symbol, a.index, a.ratio, a.price, a.amount, a.shares].join(','),
  );
  files['actions.csv'] =
    `exDate,type,symbol,index,ratio,price,amount,shares\n${actionLines.map((l) => `${l}\n`).join('')}`;
  return files;
}
