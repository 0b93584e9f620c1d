import { readFileSync } from 'node:fs';
import {
  CalendarFileError,
  type CalendarYear,
  DEFAULT_CALENDAR,
  type MarketCalendar,
  parseCalendarFile,
  VENUES,
} from '@indexflow/market-calendar';
import { DatasetError } from './dataset-report.js';

/**
 * A market calendar file that cannot be used: `<file>: <JSON path>: <reason>; got <value>` for
 * its content (see `parseCalendarFile`), `<file>: cannot be read: <why>` when it cannot be read.
 * A DatasetError, so every CLI command reports it without a stack and exits 2.
 */
export class CalendarLoadError extends DatasetError {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(file, message, options);
    this.name = 'CalendarLoadError';
  }
}

/**
 * The paths of a setting that lists calendar files: `MARKET_CALENDAR_FILES` (comma-separated) or
 * the repeatable `--calendar` option (each occurrence may list several). Blanks are dropped.
 */
export function calendarFileList(setting: string | readonly string[] | undefined): string[] {
  const texts = setting === undefined ? [] : typeof setting === 'string' ? [setting] : setting;
  return texts.flatMap((text) => text.split(',').map((path) => path.trim())).filter((path) => path !== '');
}

/**
 * The calendar files a command runs with: those its `--calendar` options list, or, when it has
 * none, those of `MARKET_CALENDAR_FILES` (as the services read it), so a command run in the
 * services' environment computes with the calculator's calendar.
 */
export function commandCalendarFiles(
  option: readonly string[] | undefined,
  env: string | undefined,
): string[] {
  const given = calendarFileList(option);
  return given.length > 0 ? given : calendarFileList(env);
}

/** Reads and validates each file (one year each); two files giving one venue's year are refused. */
export function readCalendarFiles(paths: readonly string[]): CalendarYear[] {
  const seen = new Map<string, string>();
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new CalendarLoadError(path, `cannot be read: ${why.slice(0, 200)}`, { cause });
    }
    let year: CalendarYear;
    try {
      year = parseCalendarFile(text, path);
    } catch (cause) {
      if (!(cause instanceof CalendarFileError)) throw cause;
      const detail = cause.message.startsWith(`${path}: `)
        ? cause.message.slice(path.length + 2)
        : cause.message;
      throw new CalendarLoadError(path, detail, { cause });
    }
    for (const venue of VENUES.filter((v) => year.venues[v] !== undefined)) {
      const other = seen.get(`${venue}:${year.year}`);
      if (other !== undefined)
        throw new CalendarLoadError(path, `$.${venue}: ${year.year} is also given by ${other}`);
      seen.set(`${venue}:${year.year}`, path);
    }
    return year;
  });
}

/** The environment variable the services (and, without `--calendar`, the CLI) read. */
export const CALENDAR_FILES_VARIABLE = 'MARKET_CALENDAR_FILES';

/**
 * A service's calendar as its configuration loads it, once at start: the bundled years with the
 * files of `MARKET_CALENDAR_FILES`, or why they cannot be used (`<file>: <path>: <reason>`),
 * for the service to report with its other configuration problems and refuse to start.
 */
export function calendarFromEnv(
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly calendar: MarketCalendar; readonly problem: null }
  | { readonly calendar: null; readonly problem: string } {
  try {
    return { calendar: loadMarketCalendar(calendarFileList(env[CALENDAR_FILES_VARIABLE])), problem: null };
  } catch (error) {
    if (!(error instanceof CalendarLoadError)) throw error;
    return { calendar: null, problem: error.message };
  }
}

/**
 * The calendar of the bundled years with these files' years: a file's year of a venue is added,
 * or replaces the bundled one (a corrected year). No file: the bundled calendar itself. The one
 * way every service and CLI command turns calendar files into the engine's calendar, so a live
 * run and a replay given the same files use the same calendar.
 */
export function loadMarketCalendar(paths: readonly string[]): MarketCalendar {
  if (paths.length === 0) return DEFAULT_CALENDAR;
  return DEFAULT_CALENDAR.overriddenBy(readCalendarFiles(paths));
}
