import {
  type CorporateActionType,
  Dec,
  exRightsPrices,
  isCorporateActionType,
} from '@indexflow/index-engine';
import { Decimal } from 'decimal.js';
import { formatLocalTimestamp, localEpochMs } from './local-time.js';
import { mergeByTime } from './merge-by-time.js';
import { formatMilli, parseMilli } from './price-milli.js';
import { clamp, stepPrice, volatilityPpb } from './price-path.js';
import {
  A_SHARE_GRID,
  A_SHARE_TICK_MILLI,
  aShareLimitPercent,
  aShareLimits,
  ceilToSpreadTable,
  floorToSpreadTable,
  HK_MAX_PRICE_MILLI,
  type HkSpreadOptions,
  hkSpreadTable,
  roundHalfUpTo,
  roundMicroToSpreadTable,
  type SpreadBand,
} from './price-rules.js';
import { fnv1a32, SeededRandom } from './seeded-random.js';
import {
  continuousMs,
  type Market,
  marketOfSymbol,
  type PrintPhase,
  type SessionTable,
  sessionTable,
} from './sessions.js';
import { SimulationInputError } from './simulation-input-error.js';
import {
  type TradingCalendarOptions,
  type TradingDay,
  tradingDays,
  utcMidnight,
} from './trading-calendar.js';

export interface SimulatedSymbol {
  /** Exchange symbol with suffix: .SH/.SZ (A-share) or .HK. */
  readonly symbol: string;
  /** The close of the trading day before `startDate`, as a decimal string (≤ 3 dp). */
  readonly referencePrice: string;
  /** Standard deviation of a day's relative move (e.g. 0.03); defaults by board. */
  readonly volatility?: number;
  /** Board lot (shares); default 100. */
  readonly lotSize?: number;
  /** HK only: mean time between trades in ms; default `hkMeanTradeGapMs`. */
  readonly meanTradeGapMs?: number;
}

export interface SimulatedFxSpec {
  readonly pair: 'HKDCNY';
  /** Rate at the first FX row, CNY per 1 HKD (≤ 8 dp). */
  readonly start: string;
  /** Standard deviation of a day's relative move; default 0.002. */
  readonly volatility?: number;
  /** Spacing of FX rows, 09:00–16:30 local on every trading day; default 60,000. */
  readonly everyMs?: number;
}

export interface SimulatedSuspension {
  readonly symbol: string;
  readonly date: string;
}

/** A corporate action in the replay `actions.csv` shape; price actions also move the simulated price. */
export interface SimulatedAction {
  readonly exDate: string;
  readonly type: CorporateActionType;
  readonly symbol: string;
  readonly index?: string;
  readonly ratio?: string;
  readonly price?: string;
  readonly amount?: string;
  readonly shares?: string;
}

export interface SimulateMarketOptions extends TradingCalendarOptions {
  /** Unsigned 32-bit seed: the same seed and options always give the same rows. */
  readonly seed: number;
  readonly startDate: string;
  /** Number of trading days (days on which at least one market is open). */
  readonly days: number;
  readonly symbols: readonly SimulatedSymbol[];
  readonly fx?: SimulatedFxSpec;
  readonly suspensions?: readonly SimulatedSuspension[];
  readonly corporateActions?: readonly SimulatedAction[];
  /** A-share snapshot spacing in continuous trading: 3,000 (the exchange cadence) or a multiple of it. */
  readonly snapshotIntervalMs?: number;
  /** Default mean gap between HK trades in ms; default 2,000. */
  readonly hkMeanTradeGapMs?: number;
  readonly hkSpread?: HkSpreadOptions;
}

export interface SimulatedTick {
  readonly kind: 'tick';
  /** ISO-8601 local time with milliseconds and +08:00. */
  readonly ts: string;
  readonly eventTime: number;
  readonly symbol: string;
  /** Decimal string on the tick grid of the symbol's market and date. */
  readonly price: string;
  /** Shares traded since the symbol's previous row (0 for an A-share snapshot without trades). */
  readonly volume: number;
  /** price × volume, exact, as a decimal string. */
  readonly turnover: string;
  readonly phase: PrintPhase;
}

export interface SimulatedFxRate {
  readonly kind: 'fx';
  readonly ts: string;
  readonly eventTime: number;
  readonly pair: 'HKDCNY';
  readonly rate: string;
}

export type SimulatedRow = SimulatedTick | SimulatedFxRate;

export const DEFAULT_SNAPSHOT_INTERVAL_MS = 3_000;
export const DEFAULT_HK_MEAN_TRADE_GAP_MS = 2_000;
export const DEFAULT_FX_EVERY_MS = 60_000;
const FX_FIRST_MS = 9 * 3_600_000;
const FX_LAST_MS = 16 * 3_600_000 + 30 * 60_000;
const FX_UNITS = 100_000_000;
const FX_PRINT_STEP = 1_000; // 1e-5 of the rate, in 1e-8 units
const PRICE_ACTIONS = new Set<CorporateActionType>([
  'split',
  'bonus',
  'rights',
  'cash_dividend',
  'special_dividend',
]);

/** Default daily volatility: 4 % for ±20 % boards, 2.5 % for main boards, 3 % for HK. */
export function defaultVolatility(symbol: string, market: Market): number {
  if (market === 'hk') return 0.03;
  return aShareLimitPercent(symbol) === 20 ? 0.04 : 0.025;
}

interface SymbolPlan {
  readonly symbol: string;
  readonly market: Market;
  readonly referenceMilli: number;
  readonly volatility: number;
  readonly lotSize: number;
  readonly meanTradeGapMs: number;
}

interface Context {
  readonly seed: number;
  readonly days: readonly TradingDay[];
  readonly suspended: ReadonlySet<string>;
  readonly actions: ReadonlyMap<string, readonly SimulatedAction[]>;
  readonly snapshotIntervalMs: number;
  readonly hkSpread: HkSpreadOptions;
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new SimulationInputError(field, value, 'a positive integer');
  return value;
}

function planSymbol(spec: SimulatedSymbol, i: number, hkMeanGap: number): SymbolPlan {
  const market = marketOfSymbol(spec.symbol);
  if (market === null)
    throw new SimulationInputError(`symbols[${i}].symbol`, spec.symbol, 'a symbol ending in .SH, .SZ or .HK');
  const volatility = spec.volatility ?? defaultVolatility(spec.symbol, market);
  if (!(Number.isFinite(volatility) && volatility >= 0 && volatility <= 1)) {
    throw new SimulationInputError(`symbols[${i}].volatility`, spec.volatility, 'a number in [0, 1]');
  }
  const reference = parseMilli(spec.referencePrice, `symbols[${i}].referencePrice`);
  if (reference <= 0)
    throw new SimulationInputError(`symbols[${i}].referencePrice`, spec.referencePrice, 'a positive price');
  const referenceMilli =
    market === 'ashare'
      ? Math.max(A_SHARE_TICK_MILLI, roundHalfUpTo(reference, A_SHARE_TICK_MILLI))
      : reference;
  return {
    symbol: spec.symbol,
    market,
    referenceMilli,
    volatility,
    lotSize: positiveInteger(`symbols[${i}].lotSize`, spec.lotSize, 100),
    meanTradeGapMs: positiveInteger(`symbols[${i}].meanTradeGapMs`, spec.meanTradeGapMs, hkMeanGap),
  };
}

function tickRow(
  date: string,
  msOfDay: number,
  symbol: string,
  priceMilli: number,
  volume: number,
  phase: PrintPhase,
): SimulatedTick {
  return {
    kind: 'tick',
    ts: formatLocalTimestamp(date, msOfDay),
    eventTime: localEpochMs(date, msOfDay),
    symbol,
    price: formatMilli(priceMilli),
    volume,
    turnover: formatMilli(priceMilli * volume),
    phase,
  };
}

function toMilli(value: Decimal): number {
  return value.times(1000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Returns the exchange's ex-rights reference price for one symbol's price actions of one date. */
function exReferenceMilli(
  plan: SymbolPlan,
  prevCloseMilli: number,
  actions: readonly SimulatedAction[],
  date: string,
  spread: HkSpreadOptions,
): number {
  const priced = actions.filter((a) => PRICE_ACTIONS.has(a.type));
  if (priced.length === 0) return prevCloseMilli;
  const sum = (type: CorporateActionType, field: 'ratio' | 'amount') =>
    priced.filter((a) => a.type === type).reduce((acc, a) => acc.plus(a[field] ?? '0'), new Dec(0));
  const rights = priced.find((a) => a.type === 'rights');
  const split = priced
    .filter((a) => a.type === 'split')
    .reduce((acc, a) => acc.times(a.ratio ?? '1'), new Dec(1));
  const prices = exRightsPrices(
    {
      prevClose: new Dec(prevCloseMilli).div(1000),
      cashDividend: sum('cash_dividend', 'amount'),
      specialDividend: sum('special_dividend', 'amount'),
      bonusRatio: sum('bonus', 'ratio'),
      rightsRatio: sum('rights', 'ratio'),
      rightsPrice: new Dec(rights?.price ?? '0'),
      splitRatio: split,
    },
    plan.market === 'ashare' ? 'exchange' : 'exact',
  );
  const milli = toMilli(prices.exchangePrice);
  if (milli <= 0)
    throw new SimulationInputError(
      'corporateActions',
      { symbol: plan.symbol, exDate: date },
      'actions leaving a positive reference price',
    );
  if (plan.market === 'ashare') return Math.max(A_SHARE_TICK_MILLI, milli);
  return roundMicroToSpreadTable(hkSpreadTable(date, spread), milli * 1000);
}

/** Rounds a latent price onto the grid and forces it into [low, high] (both on the grid). */
function gridPrice(
  table: readonly SpreadBand[],
  latentMicro: number,
  lowMilli: number,
  highMilli: number,
): number {
  const milli = roundMicroToSpreadTable(table, latentMicro);
  if (milli > highMilli) return floorToSpreadTable(table, highMilli);
  if (milli < lowMilli) return ceilToSpreadTable(table, lowMilli);
  return milli;
}

function* aShareStream(plan: SymbolPlan, context: Context): Generator<SimulatedTick> {
  const random = new SeededRandom(fnv1a32(`${context.seed}:${plan.symbol}`));
  const table = sessionTable('ashare');
  const dayMs = continuousMs(table);
  const interval = context.snapshotIntervalMs;
  const stepSigma = volatilityPpb(plan.volatility, interval, dayMs);
  const openSigma = volatilityPpb(plan.volatility, dayMs / 10, dayMs);
  const closeSigma = volatilityPpb(plan.volatility, 180_000, dayMs);
  const percent = aShareLimitPercent(plan.symbol);
  const meanLots = 20;
  let prevClose = plan.referenceMilli;
  for (const day of context.days) {
    prevClose = exReferenceMilli(
      plan,
      prevClose,
      context.actions.get(`${plan.symbol}|${day.date}`) ?? [],
      day.date,
      context.hkSpread,
    );
    if (!day.ashareOpen || context.suspended.has(`${plan.symbol}|${day.date}`)) continue;
    const { lowerMilli, upperMilli } = aShareLimits(prevClose, percent);
    let latent = prevClose * 1000;
    const move = (sigma: number) => {
      latent = clamp(stepPrice(latent, sigma, random), lowerMilli * 1000, upperMilli * 1000);
      return gridPrice(A_SHARE_GRID, latent, lowerMilli, upperMilli);
    };
    let last = move(openSigma);
    yield tickRow(
      day.date,
      table.openingPrint.startMs,
      plan.symbol,
      last,
      plan.lotSize * (50 + random.below(500)),
      'opening_auction',
    );
    for (const session of table.continuous) {
      for (let t = session.startMs; t < session.endMs; t += interval) {
        // One snapshot in five carries no trade: the exchange re-sends it with the last price.
        const traded = random.below(5) !== 0;
        if (traded) last = move(stepSigma);
        const volume = traded ? plan.lotSize * (1 + random.below(2 * meanLots)) : 0;
        yield tickRow(day.date, t, plan.symbol, last, volume, 'continuous');
      }
    }
    last = move(closeSigma);
    yield tickRow(
      day.date,
      table.closingPrint.startMs,
      plan.symbol,
      last,
      plan.lotSize * (50 + random.below(500)),
      'closing_auction',
    );
    prevClose = last;
  }
}

function* hkStream(plan: SymbolPlan, context: Context): Generator<SimulatedTick> {
  const random = new SeededRandom(fnv1a32(`${context.seed}:${plan.symbol}`));
  let prevClose = plan.referenceMilli;
  for (const day of context.days) {
    prevClose = exReferenceMilli(
      plan,
      prevClose,
      context.actions.get(`${plan.symbol}|${day.date}`) ?? [],
      day.date,
      context.hkSpread,
    );
    if (!day.hkOpen || context.suspended.has(`${plan.symbol}|${day.date}`)) continue;
    const table: SessionTable = sessionTable('hk', day.hkHalfDay);
    const spread = hkSpreadTable(day.date, context.hkSpread);
    const dayMs = continuousMs(sessionTable('hk'));
    const minMilli = spread[0]!.tickMilli;
    let latent = prevClose * 1000;
    const move = (sigma: number, lowMilli = minMilli, highMilli = HK_MAX_PRICE_MILLI) => {
      latent = clamp(stepPrice(latent, sigma, random), lowMilli * 1000, highMilli * 1000);
      return gridPrice(spread, latent, lowMilli, highMilli);
    };
    const within = (w: { startMs: number; endMs: number }) => w.startMs + random.below(w.endMs - w.startMs);
    let last = move(volatilityPpb(plan.volatility, dayMs / 10, dayMs));
    yield tickRow(
      day.date,
      within(table.openingPrint),
      plan.symbol,
      last,
      plan.lotSize * (10 + random.below(200)),
      'opening_auction',
    );
    for (const session of table.continuous) {
      let previous = session.startMs;
      for (;;) {
        const gap = Math.max(1, Math.round(plan.meanTradeGapMs * random.exponential()));
        const t = previous + gap;
        if (t >= session.endMs) break;
        last = move(volatilityPpb(plan.volatility, gap, dayMs));
        yield tickRow(day.date, t, plan.symbol, last, plan.lotSize * (1 + random.below(20)), 'continuous');
        previous = t;
      }
    }
    // Closing auction: within ±5 % of the reference price (the last price before the CAS).
    const low = ceilToSpreadTable(spread, Math.max(minMilli, Math.ceil((last * 95) / 100)));
    const high = floorToSpreadTable(spread, Math.min(HK_MAX_PRICE_MILLI, Math.floor((last * 105) / 100)));
    last = move(volatilityPpb(plan.volatility, 600_000, dayMs), low, high);
    yield tickRow(
      day.date,
      within(table.closingPrint),
      plan.symbol,
      last,
      plan.lotSize * (10 + random.below(200)),
      'closing_auction',
    );
    prevClose = last;
  }
}

function parseFxUnits(text: string): number {
  const match = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text);
  const units = match ? Number(match[1]) * FX_UNITS + Number((match[2] ?? '').padEnd(8, '0')) : NaN;
  if (!(Number.isSafeInteger(units) && units > 0))
    throw new SimulationInputError('fx.start', text, 'a positive decimal rate with at most 8 decimal places');
  return units;
}

function formatFxUnits(units: number): string {
  const printed = roundHalfUpTo(units, FX_PRINT_STEP) / FX_PRINT_STEP;
  return `${Math.floor(printed / 100_000)}.${String(printed % 100_000).padStart(5, '0')}`;
}

function* fxStream(fx: SimulatedFxSpec, context: Context): Generator<SimulatedFxRate> {
  const random = new SeededRandom(fnv1a32(`${context.seed}:fx:${fx.pair}`));
  const every = positiveInteger('fx.everyMs', fx.everyMs, DEFAULT_FX_EVERY_MS);
  const volatility = fx.volatility ?? 0.002;
  const sigma = volatilityPpb(volatility, every, FX_LAST_MS - FX_FIRST_MS);
  let units = parseFxUnits(fx.start);
  let first = true;
  for (const day of context.days) {
    for (let t = FX_FIRST_MS; t <= FX_LAST_MS; t += every) {
      if (!first) units = Math.max(FX_PRINT_STEP, stepPrice(units, sigma, random));
      first = false;
      yield {
        kind: 'fx',
        ts: formatLocalTimestamp(day.date, t),
        eventTime: localEpochMs(day.date, t),
        pair: fx.pair,
        rate: formatFxUnits(units),
      };
    }
  }
}

function validateActions(actions: readonly SimulatedAction[]): void {
  actions.forEach((a, i) => {
    utcMidnight(a.exDate, `corporateActions[${i}].exDate`);
    if (!isCorporateActionType(a.type))
      throw new SimulationInputError(`corporateActions[${i}].type`, a.type, 'a replay action type');
    if (typeof a.symbol !== 'string' || a.symbol === '')
      throw new SimulationInputError(`corporateActions[${i}].symbol`, a.symbol, 'a symbol');
    for (const field of ['ratio', 'price', 'amount', 'shares'] as const) {
      const value = a[field];
      if (value !== undefined && value !== '' && !/^\d+(\.\d+)?$/.test(value)) {
        throw new SimulationInputError(
          `corporateActions[${i}].${field}`,
          value,
          'a non-negative decimal string',
        );
      }
    }
  });
}

/**
 * Simulates both markets as one stream of rows in time order: A-share snapshots every
 * `snapshotIntervalMs` in continuous trading plus one opening (09:25) and one closing (15:00) auction
 * print; HK trades at seeded exponential gaps, an opening print in [09:20, 09:22) and a closing print
 * in [16:08, 16:10]; HKDCNY rates every `fx.everyMs` from 09:00 to 16:30. Rows at one instant come FX
 * first, then by symbol. Pure: the output depends only on the options, and each symbol's path only
 * on the seed, the symbol and its own options, so adding a symbol does not change the others.
 */
export function simulateMarket(options: SimulateMarketOptions): Generator<SimulatedRow> {
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new SimulationInputError('seed', options.seed, 'an integer in [0, 2^32)');
  }
  const snapshotIntervalMs = positiveInteger(
    'snapshotIntervalMs',
    options.snapshotIntervalMs,
    DEFAULT_SNAPSHOT_INTERVAL_MS,
  );
  if (snapshotIntervalMs % DEFAULT_SNAPSHOT_INTERVAL_MS !== 0) {
    throw new SimulationInputError(
      'snapshotIntervalMs',
      snapshotIntervalMs,
      'a multiple of 3000 (the exchange snapshot cadence)',
    );
  }
  const hkMeanGap = positiveInteger(
    'hkMeanTradeGapMs',
    options.hkMeanTradeGapMs,
    DEFAULT_HK_MEAN_TRADE_GAP_MS,
  );
  const plans = options.symbols.map((s, i) => planSymbol(s, i, hkMeanGap));
  const seen = new Set<string>();
  for (const plan of plans) {
    if (seen.has(plan.symbol)) throw new SimulationInputError('symbols', plan.symbol, 'each symbol once');
    seen.add(plan.symbol);
  }
  const actions = options.corporateActions ?? [];
  validateActions(actions);
  const byKey = new Map<string, SimulatedAction[]>();
  for (const a of actions) {
    const key = `${a.symbol}|${a.exDate}`;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  const suspended = new Set<string>();
  (options.suspensions ?? []).forEach((s, i) => {
    utcMidnight(s.date, `suspensions[${i}].date`);
    suspended.add(`${s.symbol}|${s.date}`);
  });
  const context: Context = {
    seed: options.seed,
    days: tradingDays(options.startDate, options.days, options),
    suspended,
    actions: byKey,
    snapshotIntervalMs,
    hkSpread: options.hkSpread ?? {},
  };
  const streams: Iterable<SimulatedRow>[] = plans.map((plan) =>
    plan.market === 'ashare' ? aShareStream(plan, context) : hkStream(plan, context),
  );
  if (options.fx && options.fx.pair !== 'HKDCNY')
    throw new SimulationInputError('fx.pair', options.fx.pair, '"HKDCNY"');
  if (options.fx) parseFxUnits(options.fx.start);
  if (options.fx) streams.push(fxStream(options.fx, context));
  return mergeByTime(streams, (row) => ({
    eventTime: row.eventTime,
    rank: row.kind === 'fx' ? 0 : 1,
    name: row.kind === 'fx' ? row.pair : row.symbol,
  }));
}

/** Returns the trading days a simulation with these options covers. */
export function simulatedDays(
  options: Pick<SimulateMarketOptions, 'startDate' | 'days' | 'holidays' | 'hkHalfDays'>,
): TradingDay[] {
  return tradingDays(options.startDate, options.days, options);
}
