/**
 * Exchange price rules in integer milli (thousandths of the trading currency): A-share daily limits
 * and tick, the dated HK spread table, and rounding onto a tick grid. See docs market.md §2.
 */

/** A-share tick: 0.01 CNY. */
export const A_SHARE_TICK_MILLI = 10;

/** First day of HKEX minimum-spread reduction phase 1 (HK$10–20 → 0.01, HK$20–50 → 0.02). */
export const HK_SPREAD_PHASE1_DATE = '2025-08-04';

/** One band of a spread table: prices in (previous upper, upperMilli] trade on `tickMilli`. */
export interface SpreadBand {
  readonly upperMilli: number;
  readonly tickMilli: number;
}

/** HK spread table for equities before 4 Aug 2025. */
export const HK_SPREADS_BEFORE_PHASE1: readonly SpreadBand[] = [
  { upperMilli: 250, tickMilli: 1 },
  { upperMilli: 500, tickMilli: 5 },
  { upperMilli: 10_000, tickMilli: 10 },
  { upperMilli: 20_000, tickMilli: 20 },
  { upperMilli: 50_000, tickMilli: 50 },
  { upperMilli: 100_000, tickMilli: 50 },
  { upperMilli: 200_000, tickMilli: 100 },
  { upperMilli: 500_000, tickMilli: 200 },
  { upperMilli: 1_000_000, tickMilli: 500 },
  { upperMilli: 2_000_000, tickMilli: 1_000 },
  { upperMilli: 5_000_000, tickMilli: 2_000 },
  { upperMilli: 9_995_000, tickMilli: 5_000 },
];

/** HK spread table from phase 1 (4 Aug 2025). */
export const HK_SPREADS_PHASE1: readonly SpreadBand[] = HK_SPREADS_BEFORE_PHASE1.map((band) =>
  band.upperMilli === 20_000
    ? { upperMilli: 20_000, tickMilli: 10 }
    : band.upperMilli === 50_000
      ? { upperMilli: 50_000, tickMilli: 20 }
      : band,
);

/** HK spread table from phase 2 (HK$0.5–10 → 0.005); its go-live date is not confirmed, so it is opt-in. */
export const HK_SPREADS_PHASE2: readonly SpreadBand[] = HK_SPREADS_PHASE1.map((band) =>
  band.upperMilli === 10_000 ? { upperMilli: 10_000, tickMilli: 5 } : band,
);

/** Highest price on the HK spread table (HK$9,995). */
export const HK_MAX_PRICE_MILLI = 9_995_000;

export interface HkSpreadOptions {
  /** First day of phase 2 (YYYY-MM-DD); phase 2 is never applied when absent. */
  readonly phase2Date?: string;
}

/** Returns the HK equity spread table in force on a date (YYYY-MM-DD). */
export function hkSpreadTable(date: string, options: HkSpreadOptions = {}): readonly SpreadBand[] {
  if (options.phase2Date !== undefined && date >= options.phase2Date) return HK_SPREADS_PHASE2;
  return date >= HK_SPREAD_PHASE1_DATE ? HK_SPREADS_PHASE1 : HK_SPREADS_BEFORE_PHASE1;
}

/** Returns the tick of the band holding a price (the band (lower, upper] with lower < price ≤ upper). */
export function tickOfBand(table: readonly SpreadBand[], priceMilli: number): number {
  for (const band of table) if (priceMilli <= band.upperMilli) return band.tickMilli;
  return table[table.length - 1]!.tickMilli;
}

/** True when a price is a legal HK price on the table: on its band's tick and within the table. */
export function isOnSpreadTable(table: readonly SpreadBand[], priceMilli: number): boolean {
  return (
    priceMilli > 0 && priceMilli <= HK_MAX_PRICE_MILLI && priceMilli % tickOfBand(table, priceMilli) === 0
  );
}

/** Rounds a non-negative integer half-up to a multiple of `step`. */
export function roundHalfUpTo(value: number, step: number): number {
  return Math.floor((2 * value + step) / (2 * step)) * step;
}

/** Rounds a price (in millionths, "micro") half-up onto the spread table, using the band it lies in. */
export function roundMicroToSpreadTable(table: readonly SpreadBand[], priceMicro: number): number {
  const tick = tickOfBand(table, Math.ceil(priceMicro / 1000));
  return roundHalfUpTo(priceMicro, tick * 1000) / 1000;
}

/** The largest legal price ≤ `milli` on the table (assumes milli ≥ the smallest tick). */
export function floorToSpreadTable(table: readonly SpreadBand[], milli: number): number {
  const tick = tickOfBand(table, milli);
  return Math.floor(milli / tick) * tick;
}

/** The smallest legal price ≥ `milli` on the table. */
export function ceilToSpreadTable(table: readonly SpreadBand[], milli: number): number {
  const tick = tickOfBand(table, milli);
  return Math.ceil(milli / tick) * tick;
}

/** A flat 0.01 grid, the A-share "spread table". */
export const A_SHARE_GRID: readonly SpreadBand[] = [
  { upperMilli: Number.MAX_SAFE_INTEGER, tickMilli: A_SHARE_TICK_MILLI },
];

/**
 * Daily limit percent of an A-share: ±20 % for STAR (688xxx, 689xxx) and ChiNext (300xxx, 301xxx),
 * ±10 % for the main boards. ST names (±5 % before 2026-07-06) are not modelled.
 */
export function aShareLimitPercent(symbol: string): number {
  return /^(688|689|300|301)/.test(symbol) ? 20 : 10;
}

export interface PriceLimits {
  readonly lowerMilli: number;
  readonly upperMilli: number;
}

/** Returns round_half_up(prevClose × (1 ± pct), 0.01) for both limits; the lower limit is at least 0.01. */
export function aShareLimits(prevCloseMilli: number, percent: number): PriceLimits {
  const cents = prevCloseMilli / A_SHARE_TICK_MILLI;
  const limit = (signed: number) => Math.floor((cents * (100 + signed) + 50) / 100) * A_SHARE_TICK_MILLI;
  return { lowerMilli: Math.max(A_SHARE_TICK_MILLI, limit(-percent)), upperMilli: limit(percent) };
}
