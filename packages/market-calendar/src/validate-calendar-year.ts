import { CalendarFileError } from './calendar-file-error.js';
import type { CalendarYear, VenueYear } from './calendar-year.js';
import { isCalendarDate, isWeekend, yearOf } from './civil-date.js';
import { formatTimeOfDay, parseTimeOfDay } from './local-time.js';
import { isVenue, type Venue } from './market.js';
import { isSessionPhase, SESSION_PHASES } from './phases.js';
import { ASHARE_FULL_DAY, HK_FULL_DAY, HK_HALF_DAY, type SessionSegment } from './session-tables.js';

/** The built-in session tables, used unless a year's file gives its own. */
const DEFAULT_SESSIONS: Record<
  Venue,
  { full: readonly SessionSegment[]; half: readonly SessionSegment[] | null }
> = {
  ashare: { full: ASHARE_FULL_DAY, half: null },
  hk: { full: HK_FULL_DAY, half: HK_HALF_DAY },
};

const EARLIEST_YEAR = 1990;
const LATEST_YEAR = 2099;

type Fail = (path: string, value: unknown, reason: string) => never;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(raw: Record<string, unknown>, allowed: readonly string[], path: string, fail: Fail): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key))
      fail(`${path}.${key}`, raw[key], `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

/** A list of distinct weekdays of `year`. */
function dateList(raw: unknown, year: number, path: string, fail: Fail): string[] {
  if (!Array.isArray(raw)) return fail(path, raw, 'must be an array of YYYY-MM-DD dates');
  const seen = new Set<string>();
  raw.forEach((value, i) => {
    const at = `${path}[${i}]`;
    if (typeof value !== 'string' || !isCalendarDate(value))
      fail(at, value, 'must be a calendar date YYYY-MM-DD');
    if (yearOf(value) !== year) fail(at, value, `must be a date of ${year}, the file's year`);
    if (isWeekend(value)) fail(at, value, 'is a Saturday or Sunday, never a trading day: do not list it');
    if (seen.has(value)) fail(at, value, 'is listed twice');
    seen.add(value);
  });
  return [...seen];
}

function segmentOf(raw: unknown, path: string, fail: Fail): SessionSegment {
  if (!isRecord(raw)) return fail(path, raw, 'must be an object {name, phase, start, end}');
  onlyKeys(raw, ['name', 'phase', 'start', 'end'], path, fail);
  const { name, phase, start, end } = raw;
  if (typeof name !== 'string' || name === '') fail(`${path}.name`, name, 'must be a non-empty string');
  if (typeof phase !== 'string' || !isSessionPhase(phase))
    fail(`${path}.phase`, phase, `must be one of ${SESSION_PHASES.join(', ')}`);
  const startMs = typeof start === 'string' ? parseTimeOfDay(start) : null;
  if (startMs === null) return fail(`${path}.start`, start, 'must be a local time HH:MM or HH:MM:SS');
  const endMs = typeof end === 'string' ? parseTimeOfDay(end) : null;
  if (endMs === null) return fail(`${path}.end`, end, 'must be a local time HH:MM or HH:MM:SS');
  if (endMs <= startMs) fail(`${path}.end`, end, `must be after start ${String(start)}`);
  return { name: name as string, phase: phase as SessionSegment['phase'], startMs, endMs };
}

/** A day's segments: contiguous, opening and ending with a trading phase (the close is the end). */
function segmentList(raw: unknown, path: string, fail: Fail): SessionSegment[] {
  if (!Array.isArray(raw) || raw.length === 0)
    return fail(path, raw, 'must be a non-empty array of segments');
  const segments = raw.map((value, i) => segmentOf(value, `${path}[${i}]`, fail));
  segments.forEach((s, i) => {
    const previous = segments[i - 1];
    if (previous !== undefined && s.startMs !== previous.endMs)
      fail(
        `${path}[${i}].start`,
        raw[i].start,
        `must equal the previous end ${formatTimeOfDay(previous.endMs)}`,
      );
  });
  if (segments[0]!.phase === 'BREAK') fail(`${path}[0].phase`, 'BREAK', 'a day cannot open with a break');
  const last = segments.length - 1;
  if (segments[last]!.phase === 'BREAK')
    fail(`${path}[${last}].phase`, 'BREAK', 'a day cannot end with a break');
  return segments;
}

function venueYear(raw: unknown, year: number, venue: Venue, fail: Fail): VenueYear {
  const path = `$.${venue}`;
  if (!isRecord(raw)) return fail(path, raw, 'must be an object {holidays, halfDays?, sessions?}');
  onlyKeys(raw, ['holidays', 'halfDays', 'sessions'], path, fail);
  const holidays = dateList(raw.holidays, year, `${path}.holidays`, fail);
  const halfDays = raw.halfDays === undefined ? [] : dateList(raw.halfDays, year, `${path}.halfDays`, fail);
  const closed = new Set(holidays);
  halfDays.forEach((d, i) => {
    if (closed.has(d)) fail(`${path}.halfDays[${i}]`, d, 'is also listed as a holiday');
  });
  const sessions = raw.sessions ?? {};
  if (!isRecord(sessions)) return fail(`${path}.sessions`, sessions, 'must be an object {full?, half?}');
  onlyKeys(sessions, ['full', 'half'], `${path}.sessions`, fail);
  const defaults = DEFAULT_SESSIONS[venue];
  const fullDay =
    sessions.full === undefined ? defaults.full : segmentList(sessions.full, `${path}.sessions.full`, fail);
  const halfDay =
    sessions.half === undefined ? defaults.half : segmentList(sessions.half, `${path}.sessions.half`, fail);
  if (halfDays.length > 0 && halfDay === null)
    fail(`${path}.halfDays`, halfDays, `${venue} has no half-day session: give one in ${path}.sessions.half`);
  return { holidays: closed, halfDays: new Set(halfDays), fullDay, halfDay };
}

/**
 * Checks a parsed calendar file (or a bundled year) and returns the year it describes; throws
 * CalendarFileError naming `file`, the JSON path, the value and the rule it breaks.
 */
export function validateCalendarYear(raw: unknown, file: string): CalendarYear {
  const fail: Fail = (path, value, reason) => {
    throw new CalendarFileError(file, path, value, reason);
  };
  if (!isRecord(raw)) return fail('$', raw, 'must be an object {year, ashare?, hk?}');
  onlyKeys(raw, ['year', 'ashare', 'hk', 'comment'], '$', fail);
  const year = raw.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < EARLIEST_YEAR || year > LATEST_YEAR)
    return fail('$.year', year, `must be a whole year from ${EARLIEST_YEAR} to ${LATEST_YEAR}`);
  const venues: Partial<Record<Venue, VenueYear>> = {};
  for (const key of Object.keys(raw)) {
    if (isVenue(key)) venues[key] = venueYear(raw[key], year, key, fail);
  }
  if (Object.keys(venues).length === 0) fail('$', raw, 'names no venue: give "ashare", "hk" or both');
  return { year, venues };
}

/** Parses and checks the text of a JSON calendar file (see `validateCalendarYear`). */
export function parseCalendarFile(text: string, file: string): CalendarYear {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CalendarFileError(
      file,
      '$',
      text.slice(0, 80),
      `is not valid JSON (${(error as Error).message})`,
    );
  }
  return validateCalendarYear(raw, file);
}
