import { describe, expect, it } from 'vitest';
import { committedWatermarkOf, offsetMetadata } from './offset-metadata.js';

const W = Date.UTC(2025, 2, 20, 7, 0, 5);

describe('offset metadata (the passed watermark kept with committed offsets)', () => {
  it('reads back what it wrote, and nothing from a transaction without a watermark', () => {
    expect(committedWatermarkOf([offsetMetadata(W), offsetMetadata(W)])).toBe(W);
    expect(offsetMetadata(undefined)).toBeUndefined();
    expect(committedWatermarkOf([offsetMetadata(undefined)])).toBeNull();
  });

  it('reads what either client hands back: with librdkafka’s trailing NUL, or with its last byte dropped', () => {
    const text = offsetMetadata(W)!;
    expect(committedWatermarkOf([`${text}\0`])).toBe(W);
    expect(committedWatermarkOf([text.slice(0, -1)])).toBe(W);
  });

  it('takes the lowest over partitions, and knows nothing when one partition carries none', () => {
    expect(committedWatermarkOf([offsetMetadata(W + 1), offsetMetadata(W)])).toBe(W);
    expect(committedWatermarkOf([offsetMetadata(W), ''])).toBeNull();
    expect(committedWatermarkOf([offsetMetadata(W), null])).toBeNull();
    expect(committedWatermarkOf([offsetMetadata(W), 'written by someone else'])).toBeNull();
    expect(committedWatermarkOf([])).toBeNull();
  });
});
