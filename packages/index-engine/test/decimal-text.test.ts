import { describe, expect, it } from 'vitest';
import { percentOfFraction, sameDecimalText } from '../src/index.js';

describe('decimal text helpers', () => {
  it('compares decimal texts as numbers, not as strings', () => {
    expect(sameDecimalText('124521866123.450', '124521866123.45')).toBe(true);
    expect(sameDecimalText('1e3', '1000')).toBe(true);
    expect(sameDecimalText('124521866123.45', '124521866123.46')).toBe(false);
    // Beyond a double's 17 digits: a float comparison would call these equal.
    expect(sameDecimalText('0.100000000000000000000001', '0.1')).toBe(false);
  });

  it('prints a weight in percent exactly, without trailing zeros', () => {
    expect(percentOfFraction('0.123456789012345678901234')).toBe('12.3456789012345678901234');
    expect(percentOfFraction('0.500000000000000000000000')).toBe('50');
    expect(percentOfFraction('1')).toBe('100');
    expect(percentOfFraction('0')).toBe('0');
  });

  it('refuses malformed text', () => {
    expect(() => sameDecimalText('abc', '1')).toThrow();
  });
});
