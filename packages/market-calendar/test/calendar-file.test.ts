import { describe, expect, it } from 'vitest';
import {
  BUNDLED_YEARS,
  CalendarFileError,
  DEFAULT_CALENDAR,
  MarketCalendar,
  parseCalendarFile,
} from '../src/index.js';

const FILE = 'calendars/2027.json';
const VALID = {
  year: 2027,
  ashare: { holidays: ['2027-01-01'] },
  hk: { holidays: ['2027-01-01'], halfDays: ['2027-12-24', '2027-12-31'] },
};

/** The CalendarFileError `text` raises, with its message. */
function refusal(raw: unknown): CalendarFileError {
  try {
    parseCalendarFile(typeof raw === 'string' ? raw : JSON.stringify(raw), FILE);
  } catch (error) {
    if (error instanceof CalendarFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('calendar files', () => {
  it('adds a year from a valid file', () => {
    const calendar = DEFAULT_CALENDAR.withYears([parseCalendarFile(JSON.stringify(VALID), FILE)]);
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    expect(calendar.isTradingDay('2027-01-01', 'SH')).toBe(false);
    expect(calendar.isHalfDay('2027-12-24', 'HK')).toBe(true);
    expect(calendar.closeInstant('2027-12-24', 'HK')).toBe(Date.parse('2027-12-24T12:10:00+08:00'));
    expect(DEFAULT_CALENDAR.isHalfDay('2027-12-24', 'HK')).toBe(false);
  });

  it('takes a year’s own session table', () => {
    const late = { name: 'closing_auction_session', phase: 'CLOSING_AUCTION', start: '16:00', end: '16:15' };
    const sessions = { full: [{ name: 'all_day', phase: 'CONTINUOUS', start: '09:30', end: '16:00' }, late] };
    const year = parseCalendarFile(JSON.stringify({ year: 2027, hk: { holidays: [], sessions } }), FILE);
    const calendar = new MarketCalendar([year]);
    expect(calendar.closeInstant('2027-03-02', 'HK')).toBe(Date.parse('2027-03-02T16:15:00+08:00'));
    expect(calendar.phaseAt(Date.parse('2027-03-02T12:30:00+08:00'), 'HK')).toBe('CONTINUOUS');
  });

  it.each([
    [
      { ...VALID, hk: { holidays: ['2027-01-01', '2027-02-30'] } },
      '$.hk.holidays[1]',
      '"2027-02-30"',
      'calendar date',
    ],
    [
      { ...VALID, ashare: { holidays: ['2026-10-01'] } },
      '$.ashare.holidays[0]',
      '"2026-10-01"',
      'date of 2027',
    ],
    [
      { ...VALID, ashare: { holidays: ['2027-01-02'] } },
      '$.ashare.holidays[0]',
      '"2027-01-02"',
      'Saturday or Sunday',
    ],
    [
      { ...VALID, ashare: { holidays: ['2027-01-01', '2027-01-01'] } },
      '$.ashare.holidays[1]',
      '"2027-01-01"',
      'twice',
    ],
    [
      { ...VALID, hk: { holidays: ['2027-12-24'], halfDays: ['2027-12-24'] } },
      '$.hk.halfDays[0]',
      '"2027-12-24"',
      'also listed as a holiday',
    ],
    [
      { ...VALID, ashare: { holidays: [], halfDays: ['2027-12-24'] } },
      '$.ashare.halfDays',
      '["2027-12-24"]',
      'no half-day session',
    ],
    [{ ...VALID, hkex: { holidays: [] } }, '$.hkex', '{"holidays":[]}', 'unknown field'],
    [{ ...VALID, year: 27 }, '$.year', '27', 'whole year'],
    [{ year: 2027 }, '$', '{"year":2027}', 'names no venue'],
    [{ ...VALID, hk: { holidays: '2027-01-01' } }, '$.hk.holidays', '"2027-01-01"', 'array'],
    [
      {
        year: 2027,
        hk: {
          holidays: [],
          sessions: { full: [{ name: 'am', phase: 'OPEN', start: '09:30', end: '12:00' }] },
        },
      },
      '$.hk.sessions.full[0].phase',
      '"OPEN"',
      'one of OPENING_AUCTION',
    ],
    [
      {
        year: 2027,
        hk: {
          holidays: [],
          sessions: { full: [{ name: 'am', phase: 'CONTINUOUS', start: '09:30', end: '25:00' }] },
        },
      },
      '$.hk.sessions.full[0].end',
      '"25:00"',
      'HH:MM',
    ],
    [
      {
        year: 2027,
        hk: {
          holidays: [],
          sessions: {
            full: [
              { name: 'am', phase: 'CONTINUOUS', start: '09:30', end: '12:00' },
              { name: 'pm', phase: 'CONTINUOUS', start: '12:30', end: '16:00' },
            ],
          },
        },
      },
      '$.hk.sessions.full[1].start',
      '"12:30"',
      'previous end 12:00:00',
    ],
  ])('refuses a bad field, naming the file, its path and value (%#)', (raw, path, value, reason) => {
    const error = refusal(raw);
    expect(error.file).toBe(FILE);
    expect(error.path).toBe(path);
    expect(error.message).toContain(`${FILE}: ${path}: `);
    expect(error.message).toContain(`got ${value}`);
    expect(error.reason).toContain(reason);
  });

  it('refuses text that is not JSON', () => {
    const error = refusal('{"year": 2027,');
    expect(error.path).toBe('$');
    expect(error.message).toMatch(/^calendars\/2027\.json: \$: is not valid JSON/);
  });

  it('refuses a year given twice for the same venue', () => {
    expect(() => DEFAULT_CALENDAR.withYears([BUNDLED_YEARS[0]!])).toThrow(/this year is given twice/);
  });
});

describe('overriding years', () => {
  const ashareOnly2026 = parseCalendarFile(
    JSON.stringify({ year: 2026, ashare: { holidays: ['2026-03-02'] } }),
    'calendars/2026-fix.json',
  );

  it('replaces only the venue-years a file gives, keeps the rest, and adds new years', () => {
    const year2027 = parseCalendarFile(JSON.stringify(VALID), FILE);
    const calendar = DEFAULT_CALENDAR.overriddenBy([ashareOnly2026, year2027]);
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    // The file's extra A-share holiday, and the bundled 2026 A-share holidays no longer.
    expect(calendar.isTradingDay('2026-03-02', 'SH')).toBe(false);
    expect(DEFAULT_CALENDAR.isTradingDay('2026-10-01', 'SH')).toBe(false);
    expect(calendar.isTradingDay('2026-10-01', 'SH')).toBe(true);
    // HKEX 2026 is still the bundled one.
    expect(calendar.isHalfDay('2026-12-24', 'HK')).toBe(DEFAULT_CALENDAR.isHalfDay('2026-12-24', 'HK'));
    expect(calendar.yearsOf('HK')).toEqual([2025, 2026, 2027]);
    expect(new MarketCalendar([ashareOnly2026]).yearsOf('HK')).toEqual([]);
    expect(new MarketCalendar([ashareOnly2026]).yearsOf('SZ')).toEqual([2026]);
  });

  it('refuses two files for one venue-year', () => {
    expect(() => DEFAULT_CALENDAR.overriddenBy([ashareOnly2026, ashareOnly2026])).toThrow(
      /this year is given twice/,
    );
  });
});
