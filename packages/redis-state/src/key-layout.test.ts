import { describe, expect, it } from 'vitest';
import { createKeyLayout } from './key-layout.js';
import { InvalidKeyPartError } from './redis-errors.js';

describe('createKeyLayout', () => {
  it('puts the calculator id in a hash tag on every key', () => {
    const keys = createKeyLayout({ calculatorId: 'calc-a' });
    expect(keys.committed).toBe('indexflow:{calc-a}:snapshot:committed');
    expect(keys.pending).toBe('indexflow:{calc-a}:snapshot:pending');
    expect(keys.indices).toBe('indexflow:{calc-a}:indices');
    expect(keys.index('995365')).toBe('indexflow:{calc-a}:index:995365');
    expect(keys.symbol('600519.SH')).toBe('indexflow:{calc-a}:symbol:600519.SH');
    expect(keys.fx('HKDCNY')).toBe('indexflow:{calc-a}:fx:HKDCNY');
    for (const key of [
      keys.committed,
      keys.pending,
      keys.indices,
      keys.symbols,
      keys.fxPairs,
      keys.index('x'),
    ]) {
      expect(hashTagOf(key)).toBe('calc-a');
    }
  });

  it('starts every key with the prefix', () => {
    const keys = createKeyLayout({ calculatorId: 'c', prefix: 'test-1' });
    expect(keys.base).toBe('test-1:{c}:');
    expect(keys.index('i').startsWith(keys.indexBase)).toBe(true);
  });

  it('refuses ids and prefixes that would move or cut the hash tag', () => {
    expect(() => createKeyLayout({ calculatorId: 'a}b' })).toThrow(InvalidKeyPartError);
    expect(() => createKeyLayout({ calculatorId: '' })).toThrow(InvalidKeyPartError);
    expect(() => createKeyLayout({ calculatorId: 'a', prefix: 'p{x}' })).toThrow(InvalidKeyPartError);
    expect(() => createKeyLayout({ calculatorId: 'a{b' })).toThrow(
      expect.objectContaining({ part: 'calculator id', value: 'a{b', retriable: false }),
    );
  });
});

// Redis Cluster's rule: the text between the first `{` and the next `}`, if non-empty.
function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}
