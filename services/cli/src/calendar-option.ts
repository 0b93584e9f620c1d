// `--calendar <file>` on every command that builds an index engine, and the calendar it gives.
import { commandCalendarFiles, loadMarketCalendar } from '@indexflow/dataset-files';
import type { MarketCalendar } from '@indexflow/market-calendar';
import type { Command } from 'commander';

export interface CalendarFlags {
  /** Each `--calendar` given, in order (each may list several files, comma-separated). */
  readonly calendar?: readonly string[];
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/** Adds the repeatable `--calendar <file>` option. */
export function calendarOption(command: Command): Command {
  return command.option(
    '--calendar <file>',
    'market calendar file of a year not bundled (2025 and 2026 are), or a correction of one: ' +
      'repeat or comma-separate; default MARKET_CALENDAR_FILES, as the services read it',
    collect,
  );
}

/**
 * The engine's calendar: the bundled years with the `--calendar` files, else with those of
 * `MARKET_CALENDAR_FILES`. A bad file throws CalendarLoadError (a user error: exit 2).
 */
export function commandCalendar(flags: CalendarFlags, env: NodeJS.ProcessEnv = process.env): MarketCalendar {
  return loadMarketCalendar(commandCalendarFiles(flags.calendar, env.MARKET_CALENDAR_FILES));
}

/**
 * Prints the first tick of a year the calendar does not cover (per venue): the run goes on with
 * regular sessions, as the calculator does, so the user learns why a half day closed at 16:10.
 */
export function warnCalendarGap(gap: { readonly at: string; readonly detail: string }): void {
  process.stderr.write(`warning: ${gap.at}: ${gap.detail}\n`);
}
