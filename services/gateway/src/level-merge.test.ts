import { describe, expect, it } from 'vitest';
import { type LevelPoint, mergeHistory } from '../public/level-merge.js';

const DAY = { start: 1_000_000, end: 2_000_000 };

/** Level n of the day, one every 250 ms of event time (four per second). */
function level(sequence: number, eventTime = DAY.start + 250 * sequence): LevelPoint & { prevClose: string } {
  return { eventTime, sequence, level: `3000.${sequence}`, prevClose: '2990' };
}

const sequences = (points: readonly LevelPoint[]) => points.map((p) => p.sequence);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('mergeHistory: the day’s history with the live levels buffered while it loaded', () => {
  it('draws a level published between the subscription and the history fetch exactly once', () => {
    // Subscribed at level 5 (the snapshot); 6 and 7 arrive while the history (1–6) loads.
    const history = range(1, 6).map((n) => level(n));
    const buffered = [5, 6, 7].map((n) => level(n));
    const merged = mergeHistory(history, buffered, DAY);
    expect(sequences(merged.points)).toEqual(range(1, 7));
    expect(merged.latest?.sequence).toBe(7);
    expect(merged.later).toEqual([]);
  });

  it('draws the levels published after the history was read from the buffer, in sequence', () => {
    // The feed delivered 8 twice (a redelivery) and the history stopped at 4.
    const history = range(1, 4).map((n) => level(n));
    const buffered = [4, 5, 6, 8, 7, 8].map((n) => level(n));
    const merged = mergeHistory(history, buffered, DAY);
    expect(sequences(merged.points)).toEqual(range(1, 8));
    expect(merged.points.at(-1)).toEqual({ eventTime: level(8).eventTime, sequence: 8, level: '3000.8' });
    expect(merged.latest).toEqual(level(8));
  });

  it('keeps a one-per-second history as served: buffered levels it already covers are not drawn again', () => {
    // Seconds end at 3, 7, 11: the history holds each second's last level, up to 11.
    const history = [3, 7, 11].map((n) => level(n));
    const buffered = range(6, 13).map((n) => level(n));
    const merged = mergeHistory(history, buffered, DAY);
    expect(sequences(merged.points)).toEqual([3, 7, 11, 12, 13]);
    expect(merged.latest?.sequence).toBe(13);
  });

  it('hands the next day’s levels back to the live path and drops the previous day’s', () => {
    const yesterday = level(1, DAY.start - 60_000);
    const tomorrow = [level(9, DAY.end), level(10, DAY.end + 250)];
    const merged = mergeHistory([level(2), level(3)], [yesterday, level(3), level(4), ...tomorrow], DAY);
    expect(sequences(merged.points)).toEqual([2, 3, 4]);
    expect(merged.latest?.sequence).toBe(4);
    expect(sequences(merged.later)).toEqual([9, 10]);
  });

  it('shows the buffered snapshot when the history has nothing after it', () => {
    const merged = mergeHistory(
      range(1, 5).map((n) => level(n)),
      [level(5)],
      DAY,
    );
    expect(sequences(merged.points)).toEqual(range(1, 5));
    expect(merged.latest?.sequence).toBe(5);
  });

  it('without a history or a session, draws every buffered level', () => {
    const merged = mergeHistory([], [level(2), level(1)], null);
    expect(sequences(merged.points)).toEqual([1, 2]);
    expect(merged.later).toEqual([]);
  });
});
