import {
  formatPlain,
  LEVEL_SCALE_DECIMALS,
  type LevelRecord,
  levelChangeTexts,
  MARKET_VALUE_DECIMALS,
  plainOfQuotient,
  plainOfScaled,
} from '@indexflow/index-engine';

// The decimal fields of a level record, as text, straight from the engine's scaled BigInts (its
// printers and change arithmetic). Every field is, digit for digit, what the decimal.js path in
// record-mapping.ts returns: `scaled-level-text.test.ts` checks both on random and edge values.

// The printers moved to the engine (it owns printing); re-exported for this package's callers.
export { plainOfQuotient, plainOfScaled };

/** The decimal texts of an IndexLevelRecord that come from the level's numbers. */
export interface LevelDecimalTexts {
  readonly level: string;
  readonly prevClose: string | null;
  readonly change: string | null;
  readonly changePercent: string | null;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly divisor: string;
  readonly marketValue: string;
}

// A divisor changes only with a corporate action, so its (80-digit) text is printed once per divisor.
const divisorTexts = new WeakMap<object, string>();

function divisorText(divisor: LevelRecord['divisor']): string {
  let text = divisorTexts.get(divisor);
  if (text === undefined) {
    text = formatPlain(divisor);
    divisorTexts.set(divisor, text);
  }
  return text;
}

/**
 * The decimal texts of an engine level record; change and changePercent are the engine's
 * `levelChangeTexts` (null without a prevClose, changePercent also when prevClose is zero).
 */
export function scaledLevelTexts(level: LevelRecord): LevelDecimalTexts {
  const prevClose = level.prevCloseScaled;
  const change = levelChangeTexts(level.levelScaled, prevClose);
  return {
    level: plainOfScaled(level.levelScaled, LEVEL_SCALE_DECIMALS),
    prevClose: prevClose === null ? null : plainOfScaled(prevClose, LEVEL_SCALE_DECIMALS),
    change: change?.change ?? null,
    changePercent: change?.percent ?? null,
    open: plainOfScaled(level.openScaled, LEVEL_SCALE_DECIMALS),
    high: plainOfScaled(level.highScaled, LEVEL_SCALE_DECIMALS),
    low: plainOfScaled(level.lowScaled, LEVEL_SCALE_DECIMALS),
    divisor: divisorText(level.divisor),
    marketValue: plainOfScaled(level.marketValueScaled, MARKET_VALUE_DECIMALS),
  };
}
