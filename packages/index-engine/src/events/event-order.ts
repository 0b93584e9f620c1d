import { assertNever, type IndexEvent } from './index-event.js';

/**
 * Rank of each kind among events with the same time: a trading date opens first, ex-date
 * adjustments precede every price of their date, FX precedes ticks (the replay contract), and a
 * close comes after the closing prints.
 */
export function kindRank(event: IndexEvent): number {
  if (event.kind === 'session') return event.phase === 'open' ? 0 : 4;
  return STREAM_KIND_RANK[event.kind];
}

/** The rank of the kinds that travel on their own streams (a watermark on a stream carries it). */
export const STREAM_KIND_RANK: Readonly<Record<Exclude<IndexEvent['kind'], 'session'>, number>> = {
  'index-adjustment': 1,
  'fx-rate': 2,
  tick: 3,
};

/** What orders events of the same time and kind: the symbol, FX pair or date they concern. */
export function eventSubject(event: IndexEvent): string {
  switch (event.kind) {
    case 'tick':
      return event.symbol;
    case 'fx-rate':
      return event.pair;
    case 'index-adjustment':
      return event.effectiveDate;
    case 'session':
      return event.tradingDate;
    default:
      return assertNever(event);
  }
}

/**
 * The one canonical total order of events: event time, then kind rank, then the symbol (or FX
 * pair), then source position. Ordering simultaneous events by symbol rather than by where they
 * were read makes the order a property of the data: a CSV file and Kafka partitions holding the
 * same ticks give the same order, so live and replayed levels agree byte for byte. Events of one
 * symbol at one time keep their source order (file line, partition offset).
 */
export function compareEvents(a: IndexEvent, b: IndexEvent): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  const rank = kindRank(a) - kindRank(b);
  if (rank !== 0) return rank;
  const sa = eventSubject(a);
  const sb = eventSubject(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  const pa = a.position;
  const pb = b.position;
  if (pa === undefined || pb === undefined) return 0;
  if (pa.source !== pb.source) return pa.source < pb.source ? -1 : 1;
  return pa.offset - pb.offset;
}
