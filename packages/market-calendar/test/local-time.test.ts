import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatLocalDateTime,
  formatLocalIso,
  formatLocalTimestamp,
  localDayOf,
  localInstant,
  localMidnight,
  parseLocalDateTime,
  parseTimeOfDay,
  weekdayOf,
} from '../src/index.js';

describe('local time (UTC+8 for both venues)', () => {
  it('agrees with the Asia/Shanghai and Asia/Hong_Kong dates of any instant from 1992 to 2200', () => {
    const zone = (name: string) => new Intl.DateTimeFormat('en-CA', { timeZone: name, dateStyle: 'short' });
    fc.assert(
      fc.property(fc.integer({ min: 694_224_000_000, max: 7_258_118_400_000 }), (t) => {
        const day = localDayOf(t, 'SH');
        expect(day.date).toBe(zone('Asia/Shanghai').format(t));
        expect(localDayOf(t, 'HK').date).toBe(zone('Asia/Hong_Kong').format(t));
        expect(t >= day.start && t < day.end).toBe(true);
        expect(day.start).toBe(Date.parse(`${day.date}T00:00:00+08:00`));
        expect(localMidnight(day.date, 'hk')).toBe(day.start);
      }),
      { numRuns: 2000 },
    );
  });

  it('does calendar arithmetic without a clock', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(weekdayOf('2025-01-29')).toBe(3);
    expect(weekdayOf('1970-01-01')).toBe(4);
  });

  it('formats and parses local times with the +08:00 offset', () => {
    const t = Date.parse('2025-03-20T09:25:03.007+08:00');
    expect(formatLocalIso(t, 'SH')).toBe('2025-03-20T09:25:03+08:00');
    expect(formatLocalIso(t, 'HK', { millis: true })).toBe('2025-03-20T09:25:03.007+08:00');
    expect(formatLocalDateTime(t, 'SZ')).toBe('2025-03-20 09:25:03');
    expect(formatLocalDateTime(t, 'SZ', { millis: true })).toBe('2025-03-20 09:25:03.007');
    expect(formatLocalTimestamp('2025-03-20', 9 * 3_600_000, 'ashare')).toBe('2025-03-20T09:00:00+08:00');
    expect(localInstant('2025-03-20', 0, 'HK')).toBe(Date.parse('2025-03-20T00:00:00+08:00'));
    expect(parseLocalDateTime('2025-03-20', '09:25:03', 'SH')).toBe(t - 7);
    expect(parseLocalDateTime('2025-02-30', '09:25', 'SH')).toBeNull();
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('15:00')).toBe(15 * 3_600_000);
  });
});
