/**
 * A bounded map of refused keys, each forgotten after `ttlMs`; the least recently refused goes
 * first when full. Bounded both ways because the keys come from input: a stream of junk schema
 * ids must neither grow memory nor be refused forever once the registry learns them.
 */
export class NegativeCache<K, V> {
  readonly #entries = new Map<K, { readonly value: V; readonly until: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(key: K, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, until: now + this.ttlMs });
    // Maps iterate in insertion order: the first key is the oldest refusal.
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
