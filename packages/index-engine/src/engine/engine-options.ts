import type { MarketCalendar } from '@indexflow/market-calendar';
import type { ContributionsMode } from './constituent-shares.js';

export interface EngineOptions {
  /** Refuse ticks of symbols in no index (the live calculator); replay keeps their price silently. */
  readonly rejectUnknownSymbols?: boolean;
  /** An HKD constituent's tick is refused when the HKDCNY rate is older than this (ms of event time). */
  readonly fxMaxAgeMs?: number;
  /**
   * Which constituents' contributions and weights each level carries (see `ContributionsMode`):
   * `'none'` (default), `'moved'` (O(moved) per level) or `'all'` (O(n) per level).
   */
  readonly contributions?: ContributionsMode;
  /**
   * The calendar whose sessions place the default official close (default: the bundled years).
   * Live and replayed runs of the same events must use the same one.
   */
  readonly calendar?: MarketCalendar;
}
