import { InMemoryEventSource } from '@indexflow/in-memory';
import type { IndexEvent } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { PacedEventSource } from './paced-event-source.js';

const HOUR = 3_600_000;
const fx = (eventTime: number): IndexEvent => ({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92', eventTime });

describe('PacedEventSource', () => {
  it('plays event time back at speed, and skips a quiet stretch instead of waiting it out', async () => {
    let wall = 0;
    const slept: number[] = [];
    const source = new PacedEventSource(
      new InMemoryEventSource([fx(0), fx(9 * HOUR), fx(9 * HOUR + 60_000), fx(9 * HOUR + 120_000)]),
      3600,
      () => wall,
      async (ms) => {
        slept.push(ms);
        wall += ms;
      },
      1000,
    );
    await source.start(null);
    for (let i = 0; i < 4; i += 1) await source.nextBatch(1, 0);
    // 00:00 → 09:00 is 9 s of wall time at 3600×: skipped; then a minute of event time is 1/60 s.
    expect(slept).toEqual([60_000 / 3600, 60_000 / 3600]);
  });
});
