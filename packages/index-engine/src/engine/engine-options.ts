import type { MarketCalendar } from '@indexflow/market-calendar';

export interface EngineOptions {
  /** Refuse ticks of symbols in no index (the live calculator); replay keeps their price silently. */
  readonly rejectUnknownSymbols?: boolean;
  /** An HKD constituent's tick is refused when the HKDCNY rate is older than this (ms of event time). */
  readonly fxMaxAgeMs?: number;
  /** Attach every constituent's contribution and weight to each level (O(n) per level). */
  readonly contributions?: boolean;
  /**
   * The calendar whose sessions place the default official close (default: the bundled years).
   * Live and replayed runs of the same events must use the same one.
   */
  readonly calendar?: MarketCalendar;
}
