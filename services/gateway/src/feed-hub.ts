// The gateway's one view of the level stream: the latest level of every index, its intraday
// history, the latest constituents, and who is subscribed to what. Kafka records come in through
// `apply`, in partition order, so each index's levels arrive in sequence; a level whose sequence is
// not above the last one seen (a redelivery) is dropped, so subscribers see each sequence once.
import type { IndexLevelRecord } from '@indexflow/kafka';
import { ConstituentTable } from './constituent-table.js';
import type { ConstituentsSnapshot } from './constituents.js';
import type { IntradayHistory } from './intraday-history.js';
import { type LevelView, levelView, type Outbound, type ServerMessage, shared } from './protocol.js';

/** A client (WebSocket or SSE session) that receives messages for the indices it subscribed to. */
export interface Subscriber {
  deliver(outbound: Outbound): void;
}

export interface FeedHubEvents {
  /** A level arrived: its constituents table (from the records, else the projection) moved on. */
  onLevelArrived?(indexId: string, sequence: number): void;
  /** A level was fanned out to `subscribers` clients, taking `seconds` of CPU. */
  onFanOut?(subscribers: number, seconds: number): void;
  onDuplicate?(indexId: string, sequence: number): void;
}

export class FeedHub {
  readonly #history: IntradayHistory;
  readonly #latest = new Map<string, IndexLevelRecord>();
  readonly #constituents = new Map<string, ConstituentsSnapshot>();
  readonly #tables = new Map<string, ConstituentTable>();
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #events: FeedHubEvents;
  readonly #now: () => number;
  /** When each index's latest level arrived, and the last arrival of any (the gateway's clock). */
  readonly #arrivals = new Map<string, number>();
  #lastArrival: number | null = null;
  #greeting: ((indexId: string) => ServerMessage | null) | null = null;

  constructor(options: { history: IntradayHistory; events?: FeedHubEvents; now?: () => number }) {
    this.#history = options.history;
    this.#events = options.events ?? {};
    this.#now = options.now ?? Date.now;
  }

  get history(): IntradayHistory {
    return this.#history;
  }

  /** Index ids that have had a level, sorted. */
  indexIds(): string[] {
    return [...this.#latest.keys()].sort();
  }

  latest(indexId: string): IndexLevelRecord | undefined {
    return this.#latest.get(indexId);
  }

  constituents(indexId: string): ConstituentsSnapshot | undefined {
    return this.#constituents.get(indexId);
  }

  /** The constituents as of the latest level, from the level records; null when they cannot tell. */
  recordConstituents(indexId: string): ConstituentsSnapshot | null {
    return this.#tables.get(indexId)?.snapshot() ?? null;
  }

  /** When the index's latest level arrived (gateway clock), if it had one. */
  arrivedAt(indexId: string): number | undefined {
    return this.#arrivals.get(indexId);
  }

  /** When the last level of any index arrived; null before the first. */
  lastArrival(): number | null {
    return this.#lastArrival;
  }

  /** Index ids with at least one subscriber. */
  subscribedIndexIds(): string[] {
    return [...this.#subscribers.keys()];
  }

  /** A message every new subscriber of an index gets after its snapshot (the market state). */
  greetWith(greeting: (indexId: string) => ServerMessage | null): void {
    this.#greeting = greeting;
  }

  /** Sends a message to an index's subscribers. */
  publish(indexId: string, message: ServerMessage): void {
    const subscribers = this.#subscribers.get(indexId);
    if (subscribers !== undefined && subscribers.size > 0) this.#fanOut(subscribers, message);
  }

  subscriberCount(indexId: string): number {
    return this.#subscribers.get(indexId)?.size ?? 0;
  }

  /** Takes one published level: keeps it, adds it to the history, and sends it to its subscribers. */
  apply(record: IndexLevelRecord): void {
    const previous = this.#latest.get(record.indexId);
    if (previous !== undefined && record.sequence <= previous.sequence) {
      this.#events.onDuplicate?.(record.indexId, record.sequence);
      return;
    }
    this.#latest.set(record.indexId, record);
    this.#lastArrival = this.#now();
    this.#arrivals.set(record.indexId, this.#lastArrival);
    this.#history.add(record.indexId, {
      eventTime: record.eventTime,
      sequence: record.sequence,
      level: record.level,
    });
    const subscribers = this.#subscribers.get(record.indexId);
    const started = performance.now();
    if (subscribers !== undefined && subscribers.size > 0) {
      this.#fanOut(subscribers, {
        type: 'level',
        indexId: record.indexId,
        sequence: record.sequence,
        conflated: 0,
        gatewayTime: this.#now(),
        level: levelView(record),
      });
    }
    // O(moved constituents) here; weights are computed when a client or the refresher asks.
    let table = this.#tables.get(record.indexId);
    if (table === undefined && record.constituents !== null) {
      table = new ConstituentTable();
      this.#tables.set(record.indexId, table);
    }
    table?.apply(record);
    this.#events.onLevelArrived?.(record.indexId, record.sequence);
    if (subscribers !== undefined && subscribers.size > 0) {
      this.#events.onFanOut?.(subscribers.size, (performance.now() - started) / 1000);
    }
  }

  /** Keeps constituents newer than those held and sends them to the index's subscribers. */
  offerConstituents(snapshot: ConstituentsSnapshot): void {
    const held = this.#constituents.get(snapshot.indexId);
    if (held !== undefined && held.sequence >= snapshot.sequence) return;
    this.#constituents.set(snapshot.indexId, snapshot);
    const subscribers = this.#subscribers.get(snapshot.indexId);
    if (subscribers === undefined || subscribers.size === 0) return;
    this.#fanOut(subscribers, constituentsMessage(snapshot));
  }

  /** Adds a subscriber and sends it the index's snapshot (and constituents) before any later level. */
  subscribe(subscriber: Subscriber, indexId: string): void {
    let subscribers = this.#subscribers.get(indexId);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(indexId, subscribers);
    }
    subscribers.add(subscriber);
    const latest = this.#latest.get(indexId);
    const snapshot: ServerMessage = {
      type: 'snapshot',
      indexId,
      sequence: latest?.sequence ?? null,
      conflated: 0,
      level: latest === undefined ? null : levelView(latest),
    };
    subscriber.deliver({ message: snapshot, text: null });
    const fromRecords = this.recordConstituents(indexId);
    if (fromRecords !== null) this.offerConstituents(fromRecords);
    const constituents = this.#constituents.get(indexId);
    if (constituents !== undefined)
      subscriber.deliver({ message: constituentsMessage(constituents), text: null });
    const greeting = this.#greeting?.(indexId) ?? null;
    if (greeting !== null) subscriber.deliver({ message: greeting, text: null });
  }

  unsubscribe(subscriber: Subscriber, indexId: string): void {
    const subscribers = this.#subscribers.get(indexId);
    if (!subscribers) return;
    subscribers.delete(subscriber);
    // An index nobody watches any more holds no memory (clients may subscribe to many ids).
    if (subscribers.size === 0) this.#subscribers.delete(indexId);
  }

  #fanOut(subscribers: ReadonlySet<Subscriber>, message: ServerMessage): void {
    const outbound = shared(message);
    for (const subscriber of subscribers) subscriber.deliver(outbound);
  }
}

function constituentsMessage(snapshot: ConstituentsSnapshot): ServerMessage {
  return {
    type: 'constituents',
    indexId: snapshot.indexId,
    sequence: snapshot.sequence,
    source: snapshot.source,
    constituents: snapshot.constituents,
  };
}

export type { LevelView };
