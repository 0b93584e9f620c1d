import { assertNever, type IndexEvent } from './index-event.js';

/**
 * Rank of each kind among events with the same time: a trading date opens first, ex-date
 * adjustments precede every price of their date, FX precedes ticks (the replay contract), and a
 * close comes after the closing prints.
 */
export function kindRank(event: IndexEvent): number {
  switch (event.kind) {
    case 'session':
      return event.phase === 'open' ? 0 : 4;
    case 'index-adjustment':
      return 1;
    case 'fx-rate':
      return 2;
    case 'tick':
      return 3;
    default:
      return assertNever(event);
  }
}

/**
 * The one canonical total order of events: event time, then kind rank, then source position
 * (source name, then offset). Offline replay and the live merge both sort by it, so the same
 * events always give the same levels.
 */
export function compareEvents(a: IndexEvent, b: IndexEvent): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  const rank = kindRank(a) - kindRank(b);
  if (rank !== 0) return rank;
  const pa = a.position;
  const pb = b.position;
  if (pa === undefined || pb === undefined) return 0;
  if (pa.source !== pb.source) return pa.source < pb.source ? -1 : 1;
  return pa.offset - pb.offset;
}
