import { isBoundRefusal, parseBounded } from '../bounded-decimal.js';
import { LEVEL_BOUND } from '../bounds.js';
import { LEVEL_DECIMALS, toScaled } from '../fixed-point.js';
import type { IndexDefinition } from '../index-definition.js';

/** A definition's previous official close, checked and scaled × 10^24. */
export interface PreviousCloseRule {
  readonly date: string;
  readonly scaled: bigint;
}

/** Why a definition's previous close is refused: the field at fault and its value. */
export interface PreviousCloseProblem {
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real YYYY-MM-DD date (no clock: the engine is pure). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * The previous close a definition gives for its first computed trading date: `previousClose`, or
 * else the base value (`initialLevel`) on the base date (`referenceDate`); null when it gives
 * neither. A definition with a given `divisor` has no base value to fall back on.
 */
export function previousCloseRule(
  definition: IndexDefinition,
): PreviousCloseRule | PreviousCloseProblem | null {
  const explicit = definition.previousClose;
  const [prefix, date, level] =
    explicit !== undefined
      ? ['previousClose.', explicit.date, explicit.level]
      : definition.referenceDate !== undefined && definition.initialLevel !== undefined
        ? ['', definition.referenceDate, definition.initialLevel]
        : [null, undefined, undefined];
  if (prefix === null) {
    if (definition.referenceDate !== undefined && !isCalendarDate(definition.referenceDate))
      return { field: 'referenceDate', value: definition.referenceDate, reason: 'must be a YYYY-MM-DD date' };
    return null;
  }
  const dateField = prefix === '' ? 'referenceDate' : `${prefix}date`;
  if (typeof date !== 'string' || !isCalendarDate(date))
    return { field: dateField, value: date, reason: 'must be a YYYY-MM-DD date' };
  const levelField = prefix === '' ? 'initialLevel' : `${prefix}level`;
  if (typeof level !== 'string')
    return { field: levelField, value: level, reason: 'must be a decimal string' };
  const parsed = parseBounded(level, LEVEL_BOUND);
  if (isBoundRefusal(parsed)) return { field: levelField, value: level, reason: parsed.detail };
  const scaled = toScaled(parsed, LEVEL_DECIMALS);
  if (scaled === null)
    return { field: levelField, value: level, reason: `at most ${LEVEL_DECIMALS} decimal places` };
  return { date, scaled };
}
