import type { StateSnapshot } from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import { decidePending } from './recovery-decision.js';
import { decodeSnapshot, encodeSnapshot, type StoredSnapshot } from './snapshot-codec.js';

function stored(snapshot: StateSnapshot): StoredSnapshot {
  const decoded = decodeSnapshot('k', { ...encodeSnapshot(snapshot) });
  if (decoded === null) throw new Error('unreachable: an encoded snapshot decodes');
  return decoded;
}

describe('decidePending', () => {
  const pending = stored({ version: 4, offsets: { 'ticks:0': '10', 'fx:0': '2' }, engine: {} });

  it('promotes a pending snapshot at exactly Kafka’s offsets, whatever their key order', () => {
    expect(decidePending(pending, { 'fx:0': '2', 'ticks:0': '10' })).toEqual({
      action: 'promote',
      version: 4,
    });
  });

  it('discards a pending snapshot at other offsets, or when Kafka has none', () => {
    expect(decidePending(pending, { 'fx:0': '2', 'ticks:0': '9' })).toEqual({
      action: 'discard',
      version: 4,
    });
    expect(decidePending(pending, { 'ticks:0': '10' })).toEqual({ action: 'discard', version: 4 });
    expect(decidePending(pending, null)).toEqual({ action: 'discard', version: 4 });
  });

  it('does nothing without a pending snapshot', () => {
    expect(decidePending(null, { 'ticks:0': '1' })).toEqual({ action: 'none' });
  });
});
