import { Dec, formatFixed, LevelDec } from './decimal.js';
import { LEVEL_DECIMALS } from './fixed-point.js';
import { plainOfQuotient, plainOfScaled } from './plain-text.js';

/** Significant digits of a change in percent: LevelDec's precision (IEEE decimal128 width). */
export const CHANGE_PERCENT_DIGITS = 34;

/** A level's change against its previous official close. */
export interface LevelChange {
  /** level − previous close, exact. */
  readonly change: Dec;
  /** change × 100 / previous close, 34 significant digits half-even; null when the close is 0. */
  readonly percent: Dec | null;
}

/**
 * The change and change in percent of `level` against `prevClose` (the previous official close),
 * or null without one. Every printed or served change comes from here (or `levelChangeTexts`).
 */
export function levelChange(level: Dec, prevClose: Dec | null): LevelChange | null {
  if (prevClose === null) return null;
  // Dec (80 digits) keeps the subtraction exact whatever context the level was computed in.
  const change = new Dec(level).minus(prevClose);
  const percent = prevClose.isZero()
    ? null
    : new Dec(new LevelDec(change.times(100)).div(new LevelDec(prevClose)));
  return { change, percent };
}

/**
 * `levelChange` of levels × 10^24, as the plain texts `formatPlain` would print for it, without
 * decimal.js (the calculator's per-level path).
 */
export function levelChangeTexts(
  levelScaled: bigint,
  prevCloseScaled: bigint | null,
): { change: string; percent: string | null } | null {
  if (prevCloseScaled === null) return null;
  const change = levelScaled - prevCloseScaled;
  const sign = prevCloseScaled < 0n ? -1n : 1n;
  return {
    change: plainOfScaled(change, LEVEL_DECIMALS),
    percent:
      prevCloseScaled === 0n
        ? null
        : plainOfQuotient(change * 100n * sign, prevCloseScaled * sign, CHANGE_PERCENT_DIGITS),
  };
}

/** Places of a printed close or change (tables of the CLI and `pnpm start`), and of a printed %. */
export const PRINTED_LEVEL_DECIMALS = 4;
export const PRINTED_PERCENT_DECIMALS = 2;

/**
 * `levelChange` as the tables print it: change to 4 places and % to 2 (half up), each signed
 * (`+` when not negative), the % with its sign; null without a previous close, percent null when
 * it is 0. One function so every table prints the same texts for the same close.
 */
export function printedLevelChange(
  level: Dec,
  prevClose: Dec | null,
): { change: string; percent: string | null } | null {
  const change = levelChange(level, prevClose);
  if (change === null) return null;
  const sign = change.change.gte(0) ? '+' : '';
  return {
    change: `${sign}${formatFixed(change.change, PRINTED_LEVEL_DECIMALS)}`,
    percent:
      change.percent === null ? null : `${sign}${formatFixed(change.percent, PRINTED_PERCENT_DECIMALS)}%`,
  };
}
