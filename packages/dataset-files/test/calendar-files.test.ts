import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CALENDAR } from '@indexflow/market-calendar';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CalendarCoverage,
  CalendarLoadError,
  calendarFileList,
  commandCalendarFiles,
  DatasetError,
  loadMarketCalendar,
  readCalendarFiles,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'indexflow-calendar-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const Y2027 = file('2027.json', {
  year: 2027,
  ashare: { holidays: ['2027-01-01'] },
  hk: { holidays: ['2027-01-01'], halfDays: ['2027-12-24'] },
});
// A correction of the bundled 2026 for SSE/SZSE only: one extra closure.
const FIX2026 = file('2026-ashare.json', { year: 2026, ashare: { holidays: ['2026-03-02'] } });

/** The error `load` throws. */
function failure(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was refused');
}

describe('calendar file lists', () => {
  it('splits comma-separated settings and repeated options, dropping blanks', () => {
    expect(calendarFileList(undefined)).toEqual([]);
    expect(calendarFileList(' a.json, ,b.json ')).toEqual(['a.json', 'b.json']);
    expect(calendarFileList(['a.json,b.json', 'c.json'])).toEqual(['a.json', 'b.json', 'c.json']);
  });

  it('takes a command’s --calendar files over MARKET_CALENDAR_FILES, and the variable without them', () => {
    expect(commandCalendarFiles(['x.json'], 'y.json')).toEqual(['x.json']);
    expect(commandCalendarFiles(undefined, 'y.json,z.json')).toEqual(['y.json', 'z.json']);
    expect(commandCalendarFiles([], undefined)).toEqual([]);
  });
});

describe('loadMarketCalendar', () => {
  it('is the bundled calendar itself without files', () => {
    expect(loadMarketCalendar([])).toBe(DEFAULT_CALENDAR);
  });

  it('adds a new year and replaces a bundled venue-year, keeping the rest', () => {
    const calendar = loadMarketCalendar([Y2027, FIX2026]);
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    expect(calendar.closeInstant('2027-12-24', 'HK')).toBe(Date.parse('2027-12-24T12:10:00+08:00'));
    expect(calendar.isTradingDay('2026-03-02', 'SH')).toBe(false);
    // The file replaced the bundled A-share 2026 (its National Day closure is not in the file)...
    expect(calendar.isTradingDay('2026-10-01', 'SH')).toBe(true);
    // ...and left HKEX 2026 as bundled.
    expect(calendar.isTradingDay('2026-10-01', 'HK')).toBe(DEFAULT_CALENDAR.isTradingDay('2026-10-01', 'HK'));
  });

  it('refuses a file it cannot read, a bad one, and two files for one venue-year, naming the file', () => {
    const missing = join(dir, 'nope.json');
    const unread = failure(() => readCalendarFiles([missing]));
    expect(unread).toBeInstanceOf(CalendarLoadError);
    expect(unread).toBeInstanceOf(DatasetError);
    expect(unread.message).toMatch(new RegExp(`^${missing}: cannot be read: ENOENT`));

    const bad = file('bad.json', { year: 2027, ashare: { holidays: ['2027-01-01', '2027-13-01'] } });
    expect(failure(() => loadMarketCalendar([bad])).message).toBe(
      `${bad}: $.ashare.holidays[1]: must be a calendar date YYYY-MM-DD; got "2027-13-01"`,
    );
    const notJson = file('text.json', 'year: 2027');
    expect(failure(() => loadMarketCalendar([notJson])).message).toMatch(new RegExp(`^${notJson}: \\$: `));

    const again = file('2027-again.json', { year: 2027, hk: { holidays: [] } });
    expect(failure(() => loadMarketCalendar([Y2027, again])).message).toBe(
      `${again}: $.hk: 2027 is also given by ${Y2027}`,
    );
  });
});

describe('CalendarCoverage', () => {
  const tick = (symbol: string, iso: string) =>
    ({ kind: 'tick', symbol, price: '1', eventTime: Date.parse(iso) }) as const;

  it('passes ticks of covered years and anything that is not a tick', () => {
    const coverage = new CalendarCoverage(DEFAULT_CALENDAR);
    expect(coverage.problem(tick('600000.SH', '2026-12-31T14:00:00+08:00'))).toBeNull();
    expect(
      coverage.problem({
        kind: 'fx-rate',
        pair: 'HKDCNY',
        rate: '0.92',
        eventTime: Date.parse('2031-01-02'),
      }),
    ).toBeNull();
  });

  it('names a tick of a year the calendar lacks at its venue, by the local date', () => {
    const ashareOnly = loadMarketCalendar([
      file('2027-ashare.json', { year: 2027, ashare: { holidays: [] } }),
    ]);
    const coverage = new CalendarCoverage(ashareOnly);
    // 2027-01-01 00:30 in Shanghai is still 2026 in UTC: the local date decides.
    expect(coverage.problem(tick('600000.SH', '2027-01-04T10:00:00+08:00'))).toBeNull();
    expect(coverage.problem(tick('00700.HK', '2027-01-01T00:30:00+08:00'))).toMatch(
      /^00700\.HK on 2027-01-01: the market calendar has no 2027 for HKEX \(it has 2025, 2026\)/,
    );
    // Once per venue and year: the run goes on with regular sessions.
    expect(coverage.problem(tick('09988.HK', '2027-03-01T10:00:00+08:00'))).toBeNull();
    expect(coverage.problem(tick('00700.HK', '2028-03-01T10:00:00+08:00'))).toMatch(/has no 2028 for HKEX/);
  });
});
