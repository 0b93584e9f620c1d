import { describe, expect, it } from 'vitest';
import { InvalidSnapshotError, StoredStateError } from './redis-errors.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

describe('encodeSnapshot', () => {
  it('stores offsets as canonical JSON, so key order does not matter', () => {
    const a = encodeSnapshot({
      version: 2,
      offsets: { 'ticks:1': '5', 'fx:0': '9', 'ticks:0': '3' },
      engine: { x: 1 },
    });
    const b = encodeSnapshot({
      version: 2,
      offsets: { 'ticks:0': '3', 'ticks:1': '5', 'fx:0': '9' },
      engine: { x: 1 },
    });
    expect(a.offsets).toBe('{"fx:0":"9","ticks:0":"3","ticks:1":"5"}');
    expect(a).toEqual(b);
  });

  it('gives different content different digests', () => {
    const a = encodeSnapshot({ version: 1, offsets: { 't:0': '1' }, engine: { level: '1' } });
    const b = encodeSnapshot({ version: 1, offsets: { 't:0': '1' }, engine: { level: '2' } });
    expect(a.digest).not.toBe(b.digest);
  });

  it('refuses versions below 1 and offsets that are not decimal strings', () => {
    expect(() => encodeSnapshot({ version: 0, offsets: {}, engine: {} })).toThrow(InvalidSnapshotError);
    expect(() => encodeSnapshot({ version: 1.5, offsets: {}, engine: {} })).toThrow(InvalidSnapshotError);
    expect(() => encodeSnapshot({ version: 1, offsets: { 't:0': '-1' }, engine: {} })).toThrow(
      expect.objectContaining({ field: 'offsets.t:0', value: '-1' }),
    );
  });
});

describe('decodeSnapshot', () => {
  it('round-trips an encoded snapshot', () => {
    const encoded = encodeSnapshot({
      version: 7,
      offsets: { 'b:0': '2', 'a:0': '1' },
      engine: { format: 1 },
    });
    const decoded = decodeSnapshot('k', { ...encoded });
    expect(decoded?.snapshot).toEqual({
      version: 7,
      offsets: { 'a:0': '1', 'b:0': '2' },
      engine: { format: 1 },
    });
    expect(decoded?.digest).toBe(encoded.digest);
  });

  it('answers null for an absent hash and names the damaged field otherwise', () => {
    expect(decodeSnapshot('k', {})).toBeNull();
    expect(() => decodeSnapshot('k', { version: '1', offsets: '{}' })).toThrow(StoredStateError);
    expect(() => decodeSnapshot('k', { version: 'x', offsets: '{}', engine: '{}' })).toThrow(
      expect.objectContaining({ key: 'k', field: 'version', value: 'x' }),
    );
  });
});
