/**
 * Integer price arithmetic for the sample generator. Prices are held as whole thousandths of the
 * trading currency ("milli"), so every rounding step is exact and reproducible.
 */

/** A-share tick: 0.01 CNY. */
export const A_SHARE_TICK_MILLI = 10;

/** HK spread table in force before 4 Aug 2025 (market.md §2.2, "was" column), as [upper bound, tick] in milli. */
const HK_SPREADS_BEFORE_AUG_2025: ReadonlyArray<readonly [number, number]> = [
  [250, 1],
  [500, 5],
  [10_000, 10],
  [20_000, 20],
  [50_000, 50],
  [100_000, 50],
  [200_000, 100],
  [500_000, 200],
  [1_000_000, 500],
  [2_000_000, 1_000],
  [5_000_000, 2_000],
  [9_995_000, 5_000],
];

/** Returns the HK tick (milli) for a price (milli) on the pre-Aug-2025 spread table. */
export function hkTickMilli(priceMilli: number): number {
  for (const [upper, tick] of HK_SPREADS_BEFORE_AUG_2025) if (priceMilli <= upper) return tick;
  return 5_000;
}

/** Rounds a raw price (milli, any number) half-up to a multiple of tick. */
export function roundToTick(rawMilli: number, tick: number): number {
  const whole = Math.round(rawMilli);
  return Math.floor((2 * whole + tick) / (2 * tick)) * tick;
}

/** Returns round_half_up(prevClose × (100 + percent) / 100) on the 0.01 grid, in milli. */
export function aShareLimitMilli(prevCloseMilli: number, percent: number): number {
  const cents = prevCloseMilli / A_SHARE_TICK_MILLI;
  return Math.floor((cents * (100 + percent) + 50) / 100) * A_SHARE_TICK_MILLI;
}

/** Parses a decimal price string with at most 3 dp into milli. */
export function parseMilli(price: string): number {
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(price);
  if (!match) throw new Error(`price ${price} is not a decimal with at most 3 dp`);
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Formats milli as a decimal string with 2 dp, or 3 dp when the price is not on the 0.01 grid. */
export function formatMilli(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, '0');
  return frac.endsWith('0') ? `${whole}.${frac.slice(0, 2)}` : `${whole}.${frac}`;
}
