import { describe, expect, it } from 'vitest';
import {
  closeInstant,
  DEFAULT_CALENDAR,
  isHalfDay,
  isTradingDay,
  isWeekend,
  nextTradingDay,
  phaseAt,
  previousTradingDay,
  sessionOf,
  tradingDateOf,
} from '../src/index.js';

const at = (local: string) => Date.parse(`${local}+08:00`);

describe('trading days', () => {
  it('closes both markets on 2025-01-29 (Lunar New Year)', () => {
    for (const market of ['SH', 'SZ', 'HK'] as const) expect(isTradingDay('2025-01-29', market)).toBe(false);
    expect(sessionOf('2025-01-29', 'HK')).toBeNull();
    expect(phaseAt(at('2025-01-29T10:00:00'), 'SH')).toBe('NON_TRADING_DAY');
  });

  it('closes SSE/SZSE on every weekday holiday of market.md §6.1', () => {
    // market.md §6.1, verbatim.
    const closures = `
      2025-01-01 2025-01-28 2025-01-29 2025-01-30 2025-01-31 2025-02-03 2025-02-04 2025-04-04
      2025-05-01 2025-05-02 2025-05-05 2025-06-02 2025-10-01 2025-10-02 2025-10-03 2025-10-06
      2025-10-07 2025-10-08 2026-01-01 2026-01-02 2026-02-16 2026-02-17 2026-02-18 2026-02-19
      2026-02-20 2026-02-23 2026-04-06 2026-05-01 2026-05-04 2026-05-05 2026-06-19 2026-09-25
      2026-10-01 2026-10-02 2026-10-05 2026-10-06 2026-10-07`
      .trim()
      .split(/\s+/);
    expect(closures).toHaveLength(37);
    for (const date of closures) {
      expect(isWeekend(date), date).toBe(false);
      expect(isTradingDay(date, 'SH'), date).toBe(false);
      expect(isTradingDay(date, 'SZ'), date).toBe(false);
    }
  });

  it('counts 243 SSE trading days in 2025, as the exchange did', () => {
    expect(DEFAULT_CALENDAR.tradingDaysBetween('2025-01-01', '2025-12-31', 'SH')).toHaveLength(243);
  });

  it('keeps one market open while the other is closed (Good Friday 2025, HK only closed)', () => {
    expect(isTradingDay('2025-04-18', 'SH')).toBe(true);
    expect(isTradingDay('2025-04-18', 'HK')).toBe(false);
    expect(isTradingDay('2026-02-16', 'SH')).toBe(false);
    expect(isHalfDay('2026-02-16', 'HK')).toBe(true);
  });

  it('never trades on a weekend, in a covered year or not', () => {
    expect(isTradingDay('2025-03-22', 'SH')).toBe(false);
    expect(isTradingDay('2025-03-23', 'HK')).toBe(false);
    expect(phaseAt(at('2025-03-22T10:00:00'), 'HK')).toBe('NON_TRADING_DAY');
    expect(isTradingDay('2024-06-08', 'SH')).toBe(false);
  });

  it('takes an uncovered year as weekdays with the regular session, and says so', () => {
    expect(DEFAULT_CALENDAR.covers('2024-10-01', 'SH')).toBe(false);
    expect(DEFAULT_CALENDAR.covers('2025-10-01', 'SH')).toBe(true);
    expect(isTradingDay('2024-10-01', 'SH')).toBe(true);
    expect(closeInstant('2024-12-24', 'HK')).toBe(at('2024-12-24T16:10:00'));
  });

  it('steps to the next and previous trading day across holidays and weekends', () => {
    expect(nextTradingDay('2025-09-30', 'SH')).toBe('2025-10-09');
    expect(previousTradingDay('2025-10-09', 'SZ')).toBe('2025-09-30');
    expect(nextTradingDay('2025-01-28', 'HK')).toBe('2025-02-03');
    expect(previousTradingDay('2025-02-03', 'HK')).toBe('2025-01-28');
    expect(nextTradingDay('2025-12-24', 'HK')).toBe('2025-12-29');
    expect(previousTradingDay('2026-01-05', 'SH')).toBe('2025-12-31');
  });

  it('refuses a malformed date, naming it', () => {
    expect(() => isTradingDay('2025-02-30', 'SH')).toThrow(
      /date: must be a calendar date YYYY-MM-DD; got "2025-02-30"/,
    );
  });
});

describe('sessions and closes', () => {
  it('closes SSE at 15:00 after the closing call auction', () => {
    const session = sessionOf('2025-06-03', 'SH')!;
    expect(session.halfDay).toBe(false);
    expect(session.open).toBe(at('2025-06-03T09:15:00'));
    expect(session.close).toBe(at('2025-06-03T15:00:00'));
    expect(session.phases.map((p) => p.name)).toEqual([
      'opening_call_auction',
      'pre_open_pause',
      'morning',
      'lunch',
      'afternoon',
      'closing_call_auction',
    ]);
  });

  it('closes HK after the closing auction session at 16:10, and at 12:10 on the 2025-12-24 half day', () => {
    expect(closeInstant('2025-12-23', 'HK')).toBe(at('2025-12-23T16:10:00'));
    const half = sessionOf('2025-12-24', 'HK')!;
    expect(half.halfDay).toBe(true);
    expect(half.close).toBe(at('2025-12-24T12:10:00'));
    expect(half.phases.map((p) => p.phase)).toEqual(['OPENING_AUCTION', 'CONTINUOUS', 'CLOSING_AUCTION']);
    expect(phaseAt(at('2025-12-24T12:05:00'), 'HK')).toBe('CLOSING_AUCTION');
    expect(phaseAt(at('2025-12-24T13:30:00'), 'HK')).toBe('CLOSED');
    // SSE has no half days: a full session the same day.
    expect(closeInstant('2025-12-24', 'SH')).toBe(at('2025-12-24T15:00:00'));
  });

  it('has no close on a day without a session, but a full-day close to fall back on', () => {
    expect(closeInstant('2025-10-01', 'SH')).toBeNull();
    expect(DEFAULT_CALENDAR.fullDayCloseInstant('2025-10-01', 'SH')).toBe(at('2025-10-01T15:00:00'));
    expect(DEFAULT_CALENDAR.fullDayCloseInstant('2025-12-24', 'HK')).toBe(at('2025-12-24T16:10:00'));
  });

  it.each([
    ['00:00:00', 'PRE_OPEN'],
    ['09:14:59.999', 'PRE_OPEN'],
    ['09:15:00', 'OPENING_AUCTION'],
    ['09:24:59.999', 'OPENING_AUCTION'],
    ['09:25:00', 'BREAK'],
    ['09:30:00', 'CONTINUOUS'],
    ['11:29:59.999', 'CONTINUOUS'],
    ['11:30:00', 'BREAK'],
    ['12:59:59.999', 'BREAK'],
    ['13:00:00', 'CONTINUOUS'],
    ['14:57:00', 'CLOSING_AUCTION'],
    ['14:59:59.999', 'CLOSING_AUCTION'],
    ['15:00:00', 'CLOSED'],
    ['23:59:59.999', 'CLOSED'],
  ])('SSE at %s is %s', (time, phase) => {
    expect(phaseAt(at(`2025-06-03T${time}`), 'SH')).toBe(phase);
  });

  it.each([
    ['08:59:59.999', 'PRE_OPEN'],
    ['09:00:00', 'OPENING_AUCTION'],
    ['09:29:59.999', 'OPENING_AUCTION'],
    ['09:30:00', 'CONTINUOUS'],
    ['12:00:00', 'BREAK'],
    ['13:00:00', 'CONTINUOUS'],
    ['15:59:59.999', 'CONTINUOUS'],
    ['16:00:00', 'CLOSING_AUCTION'],
    ['16:09:59.999', 'CLOSING_AUCTION'],
    ['16:10:00', 'CLOSED'],
  ])('HKEX at %s is %s', (time, phase) => {
    expect(phaseAt(at(`2025-06-03T${time}`), 'HK')).toBe(phase);
  });

  it('dates an instant by its local calendar day', () => {
    expect(tradingDateOf(at('2025-06-03T00:00:00'), 'SH')).toBe('2025-06-03');
    expect(tradingDateOf(at('2025-06-02T23:59:59.999'), 'HK')).toBe('2025-06-02');
  });
});
