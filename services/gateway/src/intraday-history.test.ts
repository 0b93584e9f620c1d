import { describe, expect, it } from 'vitest';
import { downsample, IntradayHistory } from './intraday-history.js';

const at = (iso: string) => Date.parse(iso);
const point = (iso: string, sequence: number) => ({
  eventTime: at(iso),
  sequence,
  level: `${1000 + sequence}`,
});

describe('IntradayHistory', () => {
  it('files levels by their Asia/Shanghai trading date', () => {
    const history = new IntradayHistory({ maxPointsPerDay: 10, maxDays: 3 });
    history.add('X', point('2025-03-19T15:59:00Z', 1)); // 23:59 in Shanghai, the 19th
    history.add('X', point('2025-03-19T16:00:00Z', 2)); // 00:00 in Shanghai, the 20th
    expect(history.dates('X')).toEqual(['2025-03-19', '2025-03-20']);
    expect(history.day('X', '2025-03-19')?.points.map((p) => p.sequence)).toEqual([1]);
    expect(history.day('X')?.date).toBe('2025-03-20');
    expect(history.day('Y')).toBeNull();
  });

  it('keeps at most maxPointsPerDay levels, dropping the oldest, and says it did', () => {
    const history = new IntradayHistory({ maxPointsPerDay: 3, maxDays: 1 });
    for (let s = 1; s <= 5; s += 1) history.add('X', point(`2025-03-20T02:00:0${s}Z`, s));
    const day = history.day('X');
    expect(day?.points.map((p) => p.sequence)).toEqual([3, 4, 5]);
    expect(day?.truncated).toBe(true);
  });

  it('keeps at most maxDays dates', () => {
    const history = new IntradayHistory({ maxPointsPerDay: 3, maxDays: 2 });
    for (const [i, date] of ['2025-03-18', '2025-03-19', '2025-03-20'].entries()) {
      history.add('X', point(`${date}T02:00:00Z`, i + 1));
    }
    expect(history.dates('X')).toEqual(['2025-03-19', '2025-03-20']);
  });

  it('downsamples to the last published level of each interval', () => {
    const points = [
      point('2025-03-20T02:00:00.100Z', 1),
      point('2025-03-20T02:00:00.900Z', 2),
      point('2025-03-20T02:00:01.000Z', 3),
      point('2025-03-20T02:00:03.500Z', 4),
    ];
    expect(downsample(points, 1000).map((p) => p.sequence)).toEqual([2, 3, 4]);
    expect(downsample(points, 0)).toEqual(points);
  });
});
