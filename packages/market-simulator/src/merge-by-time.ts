/** What the merge orders by: time, then rank (FX before ticks), then symbol, then stream number. */
export interface MergeKey {
  readonly eventTime: number;
  readonly rank: number;
  readonly name: string;
}

interface Head<T> {
  readonly row: T;
  readonly key: MergeKey;
  readonly stream: number;
  readonly iterator: Iterator<T>;
}

function before<T>(a: Head<T>, b: Head<T>): boolean {
  if (a.key.eventTime !== b.key.eventTime) return a.key.eventTime < b.key.eventTime;
  if (a.key.rank !== b.key.rank) return a.key.rank < b.key.rank;
  if (a.key.name !== b.key.name) return a.key.name < b.key.name;
  return a.stream < b.stream;
}

/**
 * Merges streams that are each in time order into one stream in time order, holding one row per
 * stream (a binary heap). Ties are broken by rank, then name, then stream number: a total order.
 */
export function* mergeByTime<T>(streams: readonly Iterable<T>[], keyOf: (row: T) => MergeKey): Generator<T> {
  const heap: Head<T>[] = [];
  const push = (head: Head<T>) => {
    heap.push(head);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Head<T> => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const advance = (iterator: Iterator<T>, stream: number) => {
    const next = iterator.next();
    if (!next.done) push({ row: next.value, key: keyOf(next.value), stream, iterator });
  };
  streams.forEach((s, i) => {
    advance(s[Symbol.iterator](), i);
  });
  while (heap.length > 0) {
    const head = pop();
    yield head.row;
    advance(head.iterator, head.stream);
  }
}
