import { compareEvents, type IndexEvent } from '@indexflow/index-engine';

/**
 * Re-orders each run of events with the same time into canonical order (by symbol or pair, then
 * position), so a file whose simultaneous rows are in any order replays like its Kafka copy does.
 * Runs of different times keep their order: a row earlier than its predecessor stays where it is
 * (and the engine refuses it as out of order, as it would live).
 */
export function* canonicalTies<E extends IndexEvent>(events: Iterable<E>): Generator<E> {
  let group: E[] = [];
  for (const event of events) {
    if (group.length > 0 && group[0]!.eventTime !== event.eventTime) {
      if (group.length > 1) group.sort(compareEvents);
      yield* group;
      group = [];
    }
    group.push(event);
  }
  if (group.length > 1) group.sort(compareEvents);
  yield* group;
}

/**
 * Merges streams that are each in canonical order into one (`compareEvents`; on a full tie the
 * earlier stream first): the bounded-input counterpart of EventMerge, which does the same for
 * Kafka partitions whose end is not known yet. Pulls one event ahead per stream.
 */
export function* mergeOrdered(streams: readonly Iterable<IndexEvent>[]): Generator<IndexEvent> {
  const iterators = streams.map((s) => s[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i]!;
      if (head.done) continue;
      if (best < 0 || compareEvents(head.value, (heads[best] as IteratorYieldResult<IndexEvent>).value) < 0)
        best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<IndexEvent>).value;
    heads[best] = iterators[best]!.next();
  }
}
