/**
 * The one grammar every number from outside (ticks, FX quotes, index files, actions, datasets)
 * passes before it may become a `Dec`. decimal.js expands `1e50000000` into fifty million digits
 * (seconds, hundreds of MB), so text length, integer digits, fraction digits and the exponent are
 * bounded by scanning the text alone; only text inside the bounds is handed to decimal.js.
 */

/** Limits on the written form of a decimal, all checked before any decimal.js work. */
export interface DecimalTextBounds {
  /** Characters after trimming blanks. */
  readonly maxLength: number;
  /** Significant digits left of the point once the exponent is applied (leading zeros ignored). */
  readonly maxIntegerDigits: number;
  /** Significant digits right of the point once the exponent is applied (trailing zeros ignored). */
  readonly maxFractionDigits: number;
}

/** Why a decimal text is outside the grammar. */
export type DecimalTextProblem =
  | 'malformed'
  | 'too_long'
  | 'too_many_integer_digits'
  | 'too_many_fraction_digits';

export interface DecimalTextShape {
  readonly negative: boolean;
  readonly zero: boolean;
  readonly integerDigits: number;
  readonly fractionDigits: number;
}

const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/**
 * The grammar's exponent has at most 3 digits (|e| ≤ 999): a longer one is malformed text, never
 * converted, whatever the bounds. Within it, the digit bounds decide.
 */
const MAX_EXPONENT_TEXT = 3;

/**
 * The significant-digit shape of a decimal text, or why it is not one (malformed or longer than
 * `bounds.maxLength`). Linear in the bounded length; the exponent is applied by counting only.
 */
export function decimalTextShape(
  text: string,
  bounds: DecimalTextBounds,
): DecimalTextShape | DecimalTextProblem {
  if (text.length > bounds.maxLength + 64) return 'too_long';
  const trimmed = text.trim();
  if (trimmed.length > bounds.maxLength) return 'too_long';
  const match = SHAPE.exec(trimmed);
  if (match === null) return 'malformed';
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (integer === '' && fraction === '') return 'malformed';
  const exponentText = match[4];
  const exponentDigits = exponentText?.replace(/^[+-]?0*/, '') ?? '';
  let digits = integer + fraction;
  let point = integer.length;
  if (exponentDigits.length > MAX_EXPONENT_TEXT) return 'malformed';
  const lead = digits.search(/[1-9]/);
  if (lead === -1) return { negative: match[1] === '-', zero: true, integerDigits: 0, fractionDigits: 0 };
  point += exponentText === undefined ? 0 : Number(exponentText);
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  const integerDigits = Math.max(0, point);
  const fractionDigits = Math.max(0, digits.length - point);
  return { negative: match[1] === '-', zero: false, integerDigits, fractionDigits };
}

/** Null when a shape's digits are within `bounds`, else which bound it breaks. */
export function digitProblem(shape: DecimalTextShape, bounds: DecimalTextBounds): DecimalTextProblem | null {
  // Fraction first: a value with too many decimals cannot be held at its scale whatever its size.
  if (shape.fractionDigits > bounds.maxFractionDigits) return 'too_many_fraction_digits';
  if (shape.integerDigits > bounds.maxIntegerDigits) return 'too_many_integer_digits';
  return null;
}

/** Human-readable reason for a refused decimal text, naming the bound it broke. */
export function describeDecimalProblem(problem: DecimalTextProblem, bounds: DecimalTextBounds): string {
  switch (problem) {
    case 'malformed':
      return 'is not a decimal number';
    case 'too_long':
      return `is longer than ${bounds.maxLength} characters`;
    case 'too_many_integer_digits':
      return `has more than ${bounds.maxIntegerDigits} integer digits`;
    case 'too_many_fraction_digits':
      return `has more than ${bounds.maxFractionDigits} decimal places`;
  }
}
