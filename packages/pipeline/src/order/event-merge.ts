import { compareEvents, eventSubject, kindRank } from '@indexflow/index-engine';
import type { InputOffsets, InputWatermark, RejectedRecord, SourcedEvent } from '../ports.js';
import { PassedWatermarks } from './passed-watermarks.js';

/**
 * How the source orders events across partitions. `canonical`: the watermark merge below, the
 * same order whatever the arrival interleaving. `arrival`: released as soon as fetched, in arrival
 * order (per partition in offset order); lowest latency, order depends on timing.
 */
export type EventOrdering = 'canonical' | 'arrival';

/**
 * A producer's progress statement read from a partition (see watermark-record.ts): every later
 * record of the partition sorts at or after (`time`, `rank`), `rank` being the kind rank of the
 * events the topic carries.
 */
export interface MergeWatermark {
  readonly time: number;
  readonly rank: number;
  readonly final: boolean;
}

/** One record as the merge holds it: a decoded event, a record that could not be decoded, or a watermark. */
export type MergeEntry =
  | {
      readonly offset: bigint;
      readonly event: SourcedEvent;
      readonly rejected?: undefined;
      readonly watermark?: undefined;
    }
  | {
      readonly offset: bigint;
      readonly rejected: RejectedRecord;
      readonly event?: undefined;
      readonly watermark?: undefined;
    }
  | {
      readonly offset: bigint;
      readonly watermark: MergeWatermark;
      readonly event?: undefined;
      readonly rejected?: undefined;
    };

interface BufferedEntry {
  readonly offset: bigint;
  readonly arrival: number;
  readonly event: SourcedEvent | undefined;
  readonly rejected: RejectedRecord | undefined;
}

interface PartitionState {
  readonly key: string;
  readonly queue: BufferedEntry[];
  head: number;
  /** Next offset to fetch: one past the last record (or control record) received. */
  position: bigint;
  highWatermark: bigint;
  /** Largest event time received from the partition (buffered or released), and its kind rank. */
  latestTime: number | undefined;
  latestRank: number;
  /**
   * The subject (symbol, pair) of the latest event at (latestTime, latestRank), '' after a
   * watermark moved them: a partition's events come in canonical order (its producer merged them
   * so), so what it delivers next at that time and rank sorts at or after this subject.
   */
  latestSubject: string;
  /** Wall-clock ms of the last fetch that returned records, or of the assignment. */
  lastActivityAt: number;
  /** Completed fetch rounds per broker at that moment (see `fetched`). */
  roundsAtActivity: ReadonlyMap<string, number>;
  /** Until when (wall clock) this partition's events wait for idle partitions, after it resumed. */
  resumedUntil: number;
  assigned: boolean;
  /** Scheduled input (index adjustments): never holds other partitions back (see `#blocked`). */
  readonly scheduled: boolean;
  /** Has delivered a watermark record: its producer states progress, so silence is not idleness. */
  speaks: boolean;
  /** The last record received was a final watermark: the producer's run ended; hold, never stale. */
  final: boolean;
  /** Its staleness was reported (`onStale`) since its last watermark. */
  staleReported: boolean;
}

export interface PartitionAssignment {
  readonly topic: string;
  readonly partition: number;
  /** Where consumption of the partition starts when the merge does not know it yet. */
  readonly position: bigint;
  readonly highWatermark: bigint;
  /**
   * A partition of scheduled events (index adjustments, known days ahead): it never holds the
   * merge back, and its events wait until the progress partitions have passed their time.
   */
  readonly scheduled?: boolean;
}

export interface ReleasedRecords {
  readonly events: SourcedEvent[];
  readonly undecodable: RejectedRecord[];
}

export interface EventMergeOptions {
  readonly ordering: EventOrdering;
  readonly idleTimeoutMs: number;
  /**
   * How long (wall-clock ms after it was received) an event still waits for an idle partition,
   * which may yet deliver an earlier event that travelled a longer path (an FX rate through the
   * FX filter). 0: an idle partition never holds the merge back. The cost is this much latency
   * whenever some partition is quiet.
   */
  readonly latenessMs?: number;
  /** Offsets the source started from; kept in `nextOffsets()` for partitions never assigned. */
  readonly startOffsets: InputOffsets | null;
  /**
   * Fetch rounds (`fetched` calls) every broker must complete after a partition's last activity
   * before it may turn idle. Default 0: wall-clock only. The Kafka source uses 2, because a quiet
   * partition's "caught up" comes from a high watermark that may be stale (at start-up it is the
   * admin's, read before the consumer joined): until the consumer has actually fetched the
   * partition and found nothing, records may be waiting on the broker, and releasing other
   * partitions past them would refuse those records as out of order.
   */
  readonly minFetchRoundsBeforeIdle?: number;
  /**
   * Wall-clock ms a partition that was idle and delivers again holds its events for partitions
   * that are still idle. Quiet partitions tend to resume together (the open after the lunch
   * break, a producer restarting, the first records of a day): without this, the first of them
   * to be fetched is released past the others, whose earlier records, appended a moment later,
   * are then refused as out of order. Default 0: off. Unlike `latenessMs`, it costs nothing while
   * the partitions are busy.
   */
  readonly resumeGraceMs?: number;
  /**
   * Wall-clock ms a caught-up partition whose producer writes watermarks may stay silent before it
   * is declared stale and stops holding the merge back (its producer died without a final
   * watermark). Partitions that never delivered a watermark use `idleTimeoutMs` instead. Default
   * 10 000.
   */
  readonly staleAfterMs?: number;
  /** Called once each time a watermark-speaking partition is declared stale (metrics, logs). */
  readonly onStale?: (key: string, watermark: number | undefined) => void;
}

/**
 * Per-partition buffers of decoded records and the rule that releases them (see
 * kafka-event-source.ts for the design and its latency cost). Pure: no Kafka, time is passed in.
 *
 * Invariants: a partition's records are released in offset order (so `nextOffsets()` — the first
 * unreleased offset of each partition — never skips a buffered record), and in canonical mode the
 * event released next is always the smallest head by `compareEvents`, released only when no
 * partition can still deliver an event that sorts before it.
 */
export class EventMerge {
  readonly #options: EventMergeOptions;
  readonly #partitions = new Map<string, PartitionState>();
  readonly #roundsByNode = new Map<string, number>();
  #arrivals = 0;
  #watermarksSeen = false;
  readonly #passed = new PassedWatermarks();

  constructor(options: EventMergeOptions) {
    this.#options = options;
  }

  /** Sets the assigned partitions; known partitions keep their buffers and positions. */
  assign(assignments: readonly PartitionAssignment[], now: number): void {
    const keys = new Set<string>();
    for (const assignment of assignments) {
      const key = `${assignment.topic}:${assignment.partition}`;
      keys.add(key);
      const known = this.#partitions.get(key);
      if (known !== undefined) {
        known.assigned = true;
        this.#touch(known, now);
        if (assignment.highWatermark > known.highWatermark) known.highWatermark = assignment.highWatermark;
        continue;
      }
      this.#partitions.set(key, {
        key,
        queue: [],
        head: 0,
        position: assignment.position,
        highWatermark: assignment.highWatermark,
        latestTime: undefined,
        latestRank: 0,
        latestSubject: '',
        lastActivityAt: now,
        roundsAtActivity: new Map(this.#roundsByNode),
        resumedUntil: 0,
        assigned: true,
        scheduled: assignment.scheduled === true,
        speaks: false,
        final: false,
        staleReported: false,
      });
    }
    for (const state of this.#partitions.values()) {
      if (keys.has(state.key) || !state.assigned) continue;
      // Revoked: whoever owns it now resumes at the first record this instance did not release.
      state.assigned = false;
      state.position = this.#firstUnreleased(state);
      this.#passed.forget(state.key);
      state.queue.length = 0;
      state.head = 0;
    }
  }

  /** The offset to fetch next for `topic:partition`, or undefined when the partition is unknown. */
  position(key: string): bigint | undefined {
    return this.#partitions.get(key)?.position;
  }

  /** Records buffered (not yet released) for one partition. */
  buffered(key: string): number {
    const state = this.#partitions.get(key);
    return state === undefined ? 0 : state.queue.length - state.head;
  }

  /**
   * Appends the records of one fetched batch. Entries below the partition's position (a refetch
   * after a rebalance) are dropped. `lastOffset` includes control records the fetch filtered out.
   */
  accept(
    key: string,
    entries: readonly MergeEntry[],
    batch: { readonly lastOffset: bigint; readonly highWatermark: bigint },
    now: number,
  ): void {
    const state = this.#partitions.get(key);
    if (state === undefined || !state.assigned) return;
    const grace = this.#options.resumeGraceMs ?? 0;
    if (grace > 0 && entries.length > 0 && this.#idle(state, now)) state.resumedUntil = now + grace;
    for (const entry of entries) {
      if (entry.offset < state.position) continue;
      if (entry.watermark !== undefined) {
        if (!this.#watermarksSeen) this.#firstWatermark(now);
        this.#acceptWatermark(state, entry.watermark);
        this.#passed.received(key, entry.offset, entry.watermark);
        state.position = entry.offset + 1n;
        continue;
      }
      state.final = false;
      state.queue.push({
        offset: entry.offset,
        arrival: this.#arrivals++,
        event: entry.event,
        rejected: entry.rejected,
      });
      state.position = entry.offset + 1n;
      if (entry.event !== undefined) {
        const time = entry.event.event.eventTime;
        if (state.latestTime === undefined || time >= state.latestTime) {
          state.latestTime = time;
          state.latestRank = kindRank(entry.event.event);
          state.latestSubject = eventSubject(entry.event.event);
        }
      }
    }
    this.advance(key, batch, now);
  }

  /** Records that a fetch reached `lastOffset` (e.g. a batch of only control records). */
  advance(
    key: string,
    batch: { readonly lastOffset: bigint; readonly highWatermark: bigint },
    now: number,
  ): void {
    const state = this.#partitions.get(key);
    if (state === undefined || !state.assigned) return;
    if (batch.lastOffset + 1n > state.position) state.position = batch.lastOffset + 1n;
    if (batch.highWatermark > state.highWatermark) state.highWatermark = batch.highWatermark;
    this.#touch(state, now);
  }

  /**
   * Records that a fetch from broker `nodeId` came back. The batches it returned are accepted
   * after this call, so a partition is known to have been fetched empty only once the broker's
   * next round has come back too (hence 2 rounds in the Kafka source).
   */
  fetched(nodeId: string): void {
    this.#roundsByNode.set(nodeId, (this.#roundsByNode.get(nodeId) ?? 0) + 1);
  }

  /** Releases up to `maxEvents` events (and every rejected record they uncover), in release order. */
  release(maxEvents: number, now: number): ReleasedRecords {
    const released: ReleasedRecords = { events: [], undecodable: [] };
    const active = [...this.#partitions.values()].filter((state) => state.assigned);
    for (const state of active) this.#drainRejected(state, released);
    while (released.events.length < maxEvents) {
      let best: PartitionState | undefined;
      let bestEntry: BufferedEntry | undefined;
      for (const state of active) {
        const entry = state.queue[state.head];
        if (entry?.event === undefined) continue;
        if (bestEntry?.event === undefined || this.#precedes(entry, bestEntry)) {
          best = state;
          bestEntry = entry;
        }
      }
      if (best === undefined || bestEntry?.event === undefined) break;
      if (this.#options.ordering === 'canonical' && this.#blocked(bestEntry.event, best, active, now)) break;
      released.events.push(bestEntry.event);
      this.#pop(best);
      this.#drainRejected(best, released);
    }
    return released;
  }

  /** For every partition ever known: the first offset not yet released (the next offset to commit). */
  nextOffsets(): InputOffsets {
    const offsets: Record<string, string> = { ...(this.#options.startOffsets ?? {}) };
    for (const state of this.#partitions.values())
      offsets[state.key] = this.#firstUnreleased(state).toString();
    return offsets;
  }

  /**
   * How far the released output has carried the input's watermark records: the lowest watermark
   * passed over the assigned progress partitions (scheduled ones promise nothing about time), or
   * undefined until each has passed one.
   */
  inputWatermark(): InputWatermark | undefined {
    const progress = [];
    for (const state of this.#partitions.values()) {
      if (!state.assigned || state.scheduled) continue;
      progress.push({ key: state.key, firstUnreleased: this.#firstUnreleased(state), final: state.final });
    }
    return this.#passed.inputWatermark(progress);
  }

  /**
   * The earliest wall-clock time at which a caught-up partition turns idle, or a held event's
   * lateness allowance ends, or undefined when neither will: the source re-evaluates then.
   */
  nextIdleAt(now: number): number | undefined {
    let earliest: number | undefined;
    const lateness = this.#options.latenessMs ?? 0;
    for (const state of this.#partitions.values()) {
      if (!state.assigned) continue;
      const head = state.queue[state.head]?.event;
      // A held head becomes releasable once its lateness allowance has passed.
      const candidates = [
        head !== undefined ? state.resumedUntil : undefined,
        this.#caughtUp(state) && this.#fetchedSince(state) && this.#silenceLimit(state) !== undefined
          ? state.lastActivityAt + (this.#silenceLimit(state) ?? 0)
          : undefined,
        lateness > 0 && head !== undefined ? head.receivedAt + lateness : undefined,
      ];
      for (const at of candidates) {
        if (at === undefined || at <= now) continue;
        if (earliest === undefined || at < earliest) earliest = at;
      }
    }
    return earliest;
  }

  /**
   * The input's producers write watermarks: from now on a partition that has delivered nothing
   * yet is waited for as a watermark-writing one (up to `staleAfterMs`, counted from now), not
   * skipped after `idleTimeoutMs`. Its first records may be a moment behind the first partition's
   * (decoding, fetch order), and releasing past them would refuse them as out of order.
   */
  #firstWatermark(now: number): void {
    this.#watermarksSeen = true;
    for (const state of this.#partitions.values())
      if (state.latestTime === undefined) this.#touch(state, now);
  }

  #acceptWatermark(state: PartitionState, watermark: MergeWatermark): void {
    state.speaks = true;
    state.final = watermark.final;
    state.staleReported = false;
    if (state.latestTime === undefined || watermark.time > state.latestTime) {
      state.latestTime = watermark.time;
      state.latestRank = watermark.rank;
      state.latestSubject = '';
    } else if (watermark.time === state.latestTime && watermark.rank > state.latestRank) {
      state.latestRank = watermark.rank;
      state.latestSubject = '';
    }
  }

  #precedes(a: BufferedEntry, b: BufferedEntry): boolean {
    if (this.#options.ordering === 'arrival') return a.arrival < b.arrival;
    // Both are events here; compareEvents ties only for the same position, which cannot happen.
    return compareEvents((a.event as SourcedEvent).event, (b.event as SourcedEvent).event) < 0;
  }

  #caughtUp(state: PartitionState): boolean {
    return state.position >= state.highWatermark;
  }

  #touch(state: PartitionState, now: number): void {
    state.lastActivityAt = now;
    if ((this.#options.minFetchRoundsBeforeIdle ?? 0) > 0)
      state.roundsAtActivity = new Map(this.#roundsByNode);
  }

  /** Whether every broker has completed the required fetch rounds since the partition's last activity. */
  #fetchedSince(state: PartitionState): boolean {
    const required = this.#options.minFetchRoundsBeforeIdle ?? 0;
    if (required === 0) return true;
    if (this.#roundsByNode.size === 0) return false;
    for (const [node, rounds] of this.#roundsByNode)
      if (rounds - (state.roundsAtActivity.get(node) ?? 0) < required) return false;
    return true;
  }

  /**
   * How long a caught-up partition may be silent before it stops holding the merge back: never
   * after a final watermark; `staleAfterMs` when its producer writes watermarks (silence then means
   * the producer died); `idleTimeoutMs` for producers that state no progress.
   */
  #silenceLimit(state: PartitionState): number | undefined {
    if (state.final) return undefined;
    return this.#waitedAsProducer(state)
      ? (this.#options.staleAfterMs ?? 10_000)
      : this.#options.idleTimeoutMs;
  }

  /** Its silence means a dead producer (stale), not a quiet market (idle): see `#firstWatermark`. */
  #waitedAsProducer(state: PartitionState): boolean {
    return state.speaks || (this.#watermarksSeen && state.latestTime === undefined);
  }

  #idle(state: PartitionState, now: number): boolean {
    const limit = this.#silenceLimit(state);
    if (limit === undefined) return false;
    const idle = this.#caughtUp(state) && now - state.lastActivityAt >= limit && this.#fetchedSince(state);
    if (idle && this.#waitedAsProducer(state) && !state.staleReported) {
      state.staleReported = true;
      this.#options.onStale?.(state.key, state.latestTime);
    }
    return idle;
  }

  /**
   * A scheduled event (an index adjustment, published days ahead) is released only once some
   * progress partition has passed it: with every tick and FX partition empty or silent, nothing
   * proves the market has reached its instant, so it waits however long that takes.
   */
  #passedByProgress(time: number, rank: number, active: readonly PartitionState[]): boolean {
    for (const state of active) {
      if (state.scheduled || state.latestTime === undefined) continue;
      if (state.latestTime > time || (state.latestTime === time && state.latestRank > rank)) return true;
    }
    return false;
  }

  // A partition can still deliver an event that sorts before `candidate` unless it is idle or
  // stale, or the next event it can deliver (time ≥ its watermark, then kind, then symbol) sorts
  // after the candidate. Each partition is assumed to be in canonical order, as producers that
  // merged their input by compareEvents write it. Scheduled partitions never hold others back.
  #blocked(
    candidate: SourcedEvent,
    own: PartitionState,
    active: readonly PartitionState[],
    now: number,
  ): boolean {
    const time = candidate.event.eventTime;
    const rank = kindRank(candidate.event);
    const subject = eventSubject(candidate.event);
    if (own.scheduled && !this.#passedByProgress(time, rank, active)) return true;
    for (const state of active) {
      if (state === own || state.scheduled) continue;
      if (this.#idle(state, now)) {
        if (now < own.resumedUntil) return true;
        if (now - candidate.receivedAt >= (this.#options.latenessMs ?? 0)) continue;
        return true;
      }
      if (state.latestTime === undefined) return true;
      if (state.latestTime !== time) {
        if (state.latestTime < time) return true;
        continue;
      }
      if (state.latestRank !== rank) {
        if (state.latestRank < rank) return true;
        continue;
      }
      // Same time and kind: the partition's next event sorts after `latestSubject` (see there).
      if (state.latestSubject <= subject) return true;
    }
    return false;
  }

  #drainRejected(state: PartitionState, released: ReleasedRecords): void {
    for (
      let entry = state.queue[state.head];
      entry?.rejected !== undefined;
      entry = state.queue[state.head]
    ) {
      released.undecodable.push(entry.rejected);
      this.#pop(state);
    }
  }

  #pop(state: PartitionState): void {
    state.head += 1;
    if (state.head === state.queue.length) {
      state.queue.length = 0;
      state.head = 0;
    } else if (state.head >= 1024 && state.head * 2 >= state.queue.length) {
      state.queue.splice(0, state.head);
      state.head = 0;
    }
  }

  #firstUnreleased(state: PartitionState): bigint {
    return state.queue[state.head]?.offset ?? state.position;
  }
}
