import type { NumberBound } from './bounds.js';
import { type Dec, Dec as DecCtor } from './decimal.js';
import { decimalTextShape, describeDecimalProblem, digitProblem } from './number-grammar.js';

/** Why a bounded number was refused: its text breaks the grammar, or its value the range. */
export type BoundProblem =
  | 'malformed'
  | 'too_long'
  | 'too_many_integer_digits'
  | 'too_many_fraction_digits'
  | 'non_positive'
  | 'out_of_range';

export interface BoundRefusal {
  readonly problem: BoundProblem;
  /** e.g. `price "1e400" has more than 10 integer digits` (the text cut to ~200 characters). */
  readonly detail: string;
}

/** Longest piece of offending input echoed into a message: a 100 MB field must not reach a log whole. */
export const ECHO_LIMIT = 200;

/** `text` cut to ECHO_LIMIT characters, for a rejection's `value` field. */
export function cut(text: string): string {
  return text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}…`;
}

/** `text` JSON-quoted and cut to about ECHO_LIMIT characters, saying how long it really was. */
export function echo(text: string): string {
  if (text.length <= ECHO_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ECHO_LIMIT))}… (${text.length} characters)`;
}

/**
 * Parses `text` as a number within `bound`: the grammar is checked on the text first, so no
 * decimal.js work is done on hostile input; the range is then checked on the (small) value.
 */
export function parseBounded(text: string, bound: NumberBound): Dec | BoundRefusal {
  const shape = decimalTextShape(text, bound);
  if (typeof shape === 'string') {
    return { problem: shape, detail: `${bound.name} ${echo(text)} ${describeDecimalProblem(shape, bound)}` };
  }
  if (bound.min.gt(0) && (shape.zero || shape.negative)) {
    return { problem: 'non_positive', detail: `${bound.name} ${echo(text)} is not positive` };
  }
  const digits = digitProblem(shape, bound);
  if (digits !== null) {
    return {
      problem: digits,
      detail: `${bound.name} ${echo(text)} ${describeDecimalProblem(digits, bound)}`,
    };
  }
  const value = new DecCtor(text.trim());
  const range = rangeProblem(value, bound);
  return range === null ? value : { problem: 'out_of_range', detail: `${bound.name} ${echo(text)} ${range}` };
}

/** Null when `value` is within `bound`, else why not (for values computed by the engine). */
export function rangeProblem(value: Dec, bound: NumberBound): string | null {
  if (value.lt(bound.min)) return `is below the minimum ${bound.min.toString()}`;
  if (value.gt(bound.max)) return `is above the maximum ${bound.max.toString()}`;
  return null;
}

export function isBoundRefusal(value: Dec | BoundRefusal): value is BoundRefusal {
  return !(value instanceof DecCtor);
}
