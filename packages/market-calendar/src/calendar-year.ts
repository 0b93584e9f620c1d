import type { Venue } from './market.js';
import type { SessionPhase } from './phases.js';
import type { SessionSegment } from './session-tables.js';

/** One session segment as a calendar file writes it: local wall times `HH:MM` or `HH:MM:SS`. */
export interface SessionSegmentSpec {
  readonly name: string;
  readonly phase: SessionPhase;
  readonly start: string;
  readonly end: string;
}

/** One venue's year in a calendar file. */
export interface VenueYearSpec {
  /** Weekdays without a session (weekends never have one and are not listed). */
  readonly holidays: readonly string[];
  /** Days with the half-day session (HKEX: the morning, then the closing auction). */
  readonly halfDays?: readonly string[];
  /** Overrides the built-in session tables for this year. */
  readonly sessions?: {
    readonly full?: readonly SessionSegmentSpec[];
    readonly half?: readonly SessionSegmentSpec[];
  };
}

/** A calendar file: one year, one entry per venue it covers (see the package README). */
export interface CalendarYearSpec {
  readonly year: number;
  readonly ashare?: VenueYearSpec;
  readonly hk?: VenueYearSpec;
}

/** One venue's validated year. */
export interface VenueYear {
  readonly holidays: ReadonlySet<string>;
  readonly halfDays: ReadonlySet<string>;
  readonly fullDay: readonly SessionSegment[];
  /** Null when the venue has no half-day session (SSE/SZSE). */
  readonly halfDay: readonly SessionSegment[] | null;
}

/** A validated calendar year. */
export interface CalendarYear {
  readonly year: number;
  readonly venues: Readonly<Partial<Record<Venue, VenueYear>>>;
}
