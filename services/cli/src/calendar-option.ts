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
