import type { Announcement } from '@indexflow/corporate-actions';
import type { IndexAdjustmentEvent } from '@indexflow/index-engine';

/**
 * What the register's pipeline reads: the records of the compacted actions topic (key = action
 * id; a value is an announcement or its amendment, a tombstone its cancellation), and clock ticks
 * on which the adjustments that fell due are published. `at` and `now` are the wall clock when
 * the source took the record or tick: the register's "today" and the publication schedule are by
 * the wall clock, and carrying it in the event keeps the processor a function of its input.
 */
export type ActionInput =
  | { readonly kind: 'announcement'; readonly announcement: Announcement; readonly at: number }
  | { readonly kind: 'cancel'; readonly actionId: string; readonly at: number }
  | { readonly kind: 'clock'; readonly now: number };

/** An ex-date's actions, due for publication as one date-wide adjustment (the register's derived event). */
export interface DueAdjustment {
  readonly date: string;
  /** Every action of the date, in register order. */
  readonly announcements: readonly Announcement[];
  /** The engine event that applies them: what the pro-forma is computed with. */
  readonly adjustment: IndexAdjustmentEvent;
  /** Scheduled mode, and the ex-date had already begun on the wall clock (docs/corporate-actions.md, "Publication"). */
  readonly late: boolean;
}
