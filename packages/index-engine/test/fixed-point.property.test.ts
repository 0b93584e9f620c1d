import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Dec,
  formatFixed,
  formatScaledFixed,
  fromScaled,
  LevelQuotient,
  parseDecimal,
  parseScaledPrice,
  type ScaledPrice,
} from '../src/index.js';

/** A context wide enough that a quotient rounded to 24 dp is never double-rounded in practice. */
const Wide = Decimal.clone({ precision: 400, rounding: Decimal.ROUND_HALF_EVEN });

/** What the price parser must return, by decimal.js alone. */
function referencePrice(text: string): ScaledPrice {
  const value = parseDecimal(text);
  if (value === null) return 'malformed';
  if (value.lte(0)) return 'non_positive';
  if (value.decimalPlaces() > 20) return 'too_many_decimals';
  if (value.gt('1e9')) return 'out_of_range';
  return BigInt(new Wide(value.toFixed()).times('1e20').toFixed(0));
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('parseScaledPrice', () => {
  const edgeCases = [
    '0',
    '0.0',
    '0.00000000000000000000',
    '00012.3400',
    '12.34',
    '1',
    '1.',
    '.5',
    '-1',
    '-0',
    '+1.5',
    '1e3',
    '1E-20',
    '1e-21',
    ' 12.5 ',
    '',
    ' ',
    'abc',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '1.2.3',
    '1,5',
    '１２',
    '999999999999999.99999999999999999999',
    '999999999999999',
    '9999999999999999',
    '123456789012345678901234567890.5',
    '0.00000000000000000001',
    '0.000000000000000000001',
    '0.000000000000000000010',
    '10.000000000000000000000',
    '5.00000000000000000001',
    '1_000',
    '12.34\n',
    '٣',
  ];
  it.each(edgeCases)('agrees with decimal.js on %j', (text) => {
    expect(parseScaledPrice(text)).toEqual(referencePrice(text));
  });

  it.each([
    ['1e50000000', 'malformed'],
    ['1e5000000', 'malformed'],
    ['1e309', 'out_of_range'],
    ['9'.repeat(500), 'malformed'],
    ['1000000000.00000000000000000001', 'out_of_range'],
    ['1000000000', 100000000000000000000000000000n],
    ['1e-999', 'too_many_decimals'],
    [`1.${'0'.repeat(70)}`, 'malformed'],
  ] as const)('refuses hostile text %j without expanding it', (text, expected) => {
    expect(parseScaledPrice(text)).toEqual(expected);
  });

  it('agrees with decimal.js on random decimal strings', () => {
    const plain = fc
      .tuple(
        fc.constantFrom('', '', '', '-', '+', ' '),
        digits(0, 20),
        fc.constantFrom('.', '.', ''),
        digits(0, 24),
        fc.constantFrom('', '', '', 'e2', 'e-3', ' '),
      )
      .map(([sign, int, dot, frac, tail]) => `${sign}${int}${dot}${frac}${tail}`);
    fc.assert(
      fc.property(fc.oneof(plain, fc.string({ maxLength: 12 })), (text) => {
        expect(parseScaledPrice(text)).toEqual(referencePrice(text));
      }),
      { numRuns: 20_000 },
    );
  });
});

/** A random positive decimal: up to `maxDigits` significant digits, up to `maxPlaces` decimal places. */
const positiveDecimal = (maxDigits: number, maxPlaces: number) =>
  fc
    .tuple(digits(1, maxDigits), fc.integer({ min: 0, max: maxPlaces }))
    .filter(([d]) => /[1-9]/.test(d))
    .map(([d, places]) => new Dec(fromScaled(BigInt(d), Math.min(places, maxPlaces)).toFixed()));

describe('level rounding (LevelQuotient)', () => {
  const reference = (marketValue: bigint, divisor: Dec): bigint =>
    BigInt(
      new Wide(fromScaled(marketValue, 44).toFixed())
        .div(new Wide(divisor.toFixed()))
        .toDecimalPlaces(24, Decimal.ROUND_HALF_EVEN)
        .times('1e24')
        .toFixed(0),
    );

  it('equals Dec division rounded half-even to 24 dp', () => {
    fc.assert(
      fc.property(
        positiveDecimal(80, 75),
        fc.bigInt({ min: 0n, max: 10n ** 70n }),
        (divisor, marketValue) => {
          const quotient = new LevelQuotient(divisor);
          const expected = reference(marketValue, divisor);
          expect(quotient.levelOf(marketValue)).toBe(expected);
          expect(quotient.exactLevelOf(marketValue)).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('rounds exact ties half to even and exact levels to themselves', () => {
    fc.assert(
      fc.property(
        positiveDecimal(30, 19),
        fc.bigInt({ min: 0n, max: 10n ** 32n }),
        fc.boolean(),
        (divisor, level, tie) => {
          // level (× 10^25 when a tie, ending in 5) times the divisor is an exact market value at 44 dp.
          const scaledLevel = tie ? level * 10n + 5n : level;
          const levelDecimals = tie ? 25 : 24;
          const marketValue = BigInt(
            new Wide(fromScaled(scaledLevel, levelDecimals).toFixed())
              .times(divisor.toFixed())
              .times('1e44')
              .toFixed(0),
          );
          const quotient = new LevelQuotient(divisor);
          const expected = tie ? (level % 2n === 0n ? level : level + 1n) : level;
          expect(reference(marketValue, divisor)).toBe(expected);
          expect(quotient.levelOf(marketValue)).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('formats a scaled level exactly as formatFixed does (half-up)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: 0, max: 30 }),
        (scaled, decimals) => {
          expect(formatScaledFixed(scaled, 24, decimals)).toBe(formatFixed(fromScaled(scaled, 24), decimals));
        },
      ),
      { numRuns: 5_000 },
    );
    for (const scaled of [5n * 10n ** 13n, 15n * 10n ** 13n, 10n ** 14n - 1n, 0n, -(5n * 10n ** 13n)]) {
      expect(formatScaledFixed(scaled, 24, 10)).toBe(formatFixed(fromScaled(scaled, 24), 10));
    }
  });
});
