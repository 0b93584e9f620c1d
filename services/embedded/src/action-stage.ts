import { ActionRegister, type Announcement, type RegisterRejection } from '@indexflow/corporate-actions';
import type { IndexAdjustmentEvent, IndexDefinition, IndexEvent } from '@indexflow/index-engine';
import type { SimulatedAction } from '@indexflow/market-simulator';

export interface RegisteredActions {
  /** One date-wide adjustment per ex-date, in date order; each date's actions in register order. */
  readonly adjustments: readonly IndexAdjustmentEvent[];
  readonly refusals: readonly RegisterRejection[];
}

/**
 * Runs announcements through the corporate-actions service's register as of `asOf` (its business
 * date) and publishes every date: the service publishes a date once, before it starts, and the
 * adjustment's event time (00:00 of the ex-date) alone places it in the stream, so publishing all
 * dates up front gives the calculator the same events as the scheduled publication would.
 */
export function registerAnnouncements(
  definitions: readonly IndexDefinition[],
  announcements: Iterable<Announcement>,
  asOf: string,
): RegisteredActions {
  const register = new ActionRegister(definitions);
  const refusals: RegisterRejection[] = [];
  for (const announcement of announcements) {
    const outcome = register.submit(announcement, asOf);
    if (outcome.outcome === 'rejected') refusals.push(outcome.rejection);
  }
  const adjustments: IndexAdjustmentEvent[] = [];
  for (const date of register.dates()) {
    const adjustment = register.adjustmentFor(date);
    if (adjustment === null) continue;
    adjustments.push(adjustment);
    register.markPublished(date);
  }
  return { adjustments, refusals };
}

/**
 * Merges adjustments (in date order) into a canonically ordered stream: each one goes before the
 * first event at or after its time, the rule the offline replay applies to actions.csv.
 */
export function* withAdjustments(
  events: Iterable<IndexEvent>,
  adjustments: readonly IndexAdjustmentEvent[],
): Generator<IndexEvent> {
  let next = 0;
  for (const event of events) {
    while (next < adjustments.length && adjustments[next]!.eventTime <= event.eventTime) {
      yield adjustments[next]!;
      next += 1;
    }
    yield event;
  }
  yield* adjustments.slice(next);
}

/** The adjustments' actions as actions.csv rows (and simulator input), date by date in register order. */
export function simulatedActionsOf(adjustments: readonly IndexAdjustmentEvent[]): SimulatedAction[] {
  return adjustments.flatMap((adjustment) =>
    adjustment.actions.map(
      (action): SimulatedAction => ({
        exDate: adjustment.effectiveDate,
        type: action.type,
        symbol: action.symbol,
        ...(action.indexId === undefined ? {} : { index: action.indexId }),
        ...(action.ratio === undefined ? {} : { ratio: action.ratio }),
        ...(action.price === undefined ? {} : { price: action.price }),
        ...(action.amount === undefined ? {} : { amount: action.amount }),
        ...(action.shares === undefined ? {} : { shares: action.shares }),
      }),
    ),
  );
}
