import type { Client } from '@confluentinc/schemaregistry';
import { type EventPosition, type IndexEvent, STREAM_KIND_RANK } from '@indexflow/index-engine';
import {
  type EventBatch,
  EventMerge,
  type EventOrdering,
  type EventSource,
  type InputOffsets,
  type MergeEntry,
  MergeWaiter,
  type RejectedRecord,
} from '@indexflow/pipeline';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { createAvroSerdes, type FastAvroSerdes } from './avro-serdes.js';
import { cutText, DEAD_LETTER_BOUNDS } from './dead-letter-message.js';
import { DECODE_REJECT_REASONS, decodeRejectReason } from './decode-rejection.js';
import {
  EventSourceStartError,
  KafkaAdapterError,
  KafkaOperationError,
  SchemaRegistryError,
  UnknownInputTopicError,
} from './kafka-errors.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';
import { adjustmentRecordToEvent, fxRecordToEvent, tickRecordToEvent } from './record-mapping.js';
import type { FxRateRecord, IndexAdjustmentRecord, MarketTickRecord } from './record-types.js';
import { TOPICS } from './topics.js';
import { readWatermark } from './watermark-record.js';

/**
 * KafkaEventSource: the calculator's input. One kafkajs consumer (read_committed, no auto-commit:
 * offsets are committed only inside the sink's transaction) reads the tick, FX and
 * index-adjustment topics; every record is decoded with its topic's serdes, and records that
 * cannot be decoded become `RejectedRecord`s (reason `undecodable`) instead of errors.
 *
 * Merge (ordering `canonical`): decoded records wait in one buffer per partition (EventMerge). The
 * next event released is the smallest partition head by `compareEvents` (positions
 * `topic:partition` + offset), and only once no other assigned partition can still deliver an
 * event that sorts before it: each partition's *watermark* is the latest event time it has
 * delivered (buffered or released; partitions are event-time ordered per key), and the head must
 * sort before every other partition's watermark (ties broken as compareEvents does: kind, then
 * symbol). Watermark records (watermark-record.ts) raise a partition's watermark without an event;
 * a partition whose producer writes them stops holding the others back only when it goes stale
 * (`staleAfterMs`), never after a final one; one whose producer writes none stops once it has
 * reached the high watermark of its last fetch and received nothing for `idleTimeoutMs`.
 * Index-adjustment partitions never hold the others back; their events wait until a tick or FX
 * partition has passed them (see EventMerge). Each partition releases in offset order, so
 * `nextOffsets` (the first unreleased offset per partition) never skips a buffered record.
 *
 * Latency the watermark costs: an event waits until every other busy partition has delivered a
 * later event, i.e. about the largest inter-arrival gap among the partitions (a few ms for liquid
 * tick partitions), and at most `idleTimeoutMs` (default 200 ms) plus one fetch round trip when a
 * partition is quiet (FX, index adjustments, a halted market). A lagging partition (not caught up)
 * holds the merge until it catches up, by design. Ordering `arrival` skips the watermark: events
 * are released as soon as they are fetched, in arrival order, with no added latency and no
 * cross-partition order guarantee.
 *
 * Backpressure: a partition whose buffer reaches `maxBufferedPerPartition` is paused and resumed
 * when half of it has been released; other partitions keep fetching, so the watermark can move.
 */

/** A topic the source reads, with the schema of its values. */
export interface InputTopic {
  readonly name: string;
  readonly schema: 'market-tick' | 'fx-rate' | 'index-adjustment';
}

export interface KafkaEventSourceOptions {
  readonly kafka: Kafka;
  readonly registry: Client;
  readonly groupId: string;
  /** Topic names (catalogue names, optionally prefixed) or explicit `{ name, schema }`. */
  readonly topics: readonly (string | InputTopic)[];
  /** Default `canonical`. */
  readonly ordering?: EventOrdering;
  /** How long a caught-up partition may be silent before it stops holding the merge back. Default 200. */
  readonly idleTimeoutMs?: number;
  /** Wall-clock ms an event still waits for an idle partition's late records (see EventMerge). Default 0. */
  readonly latenessMs?: number;
  /** Wall-clock ms a resuming partition waits for still-idle ones (see EventMerge). Default 100. */
  readonly resumeGraceMs?: number;
  /** Silence after which a watermark-writing producer's partition is stale (see EventMerge). Default 10 000. */
  readonly staleAfterMs?: number;
  /** Called when a watermark-writing producer's partition is declared stale. */
  readonly onStale?: (partition: string, watermark: number | undefined) => void;
  /** Records buffered per partition before it is paused. Default 10 000. */
  readonly maxBufferedPerPartition?: number;
  /** How long start() waits for the group to assign partitions. Default 30 000. */
  readonly startTimeoutMs?: number;
  /** Fetch long-poll time (kafkajs maxWaitTimeInMs). Default 100. */
  readonly maxWaitTimeInMs?: number;
  readonly logger: StructuredLogger;
  /** Wall clock for `receivedAt` and idle timing; never affects event order of caught-up input. */
  readonly now?: () => number;
}

const SCHEMA_OF_CATALOGUE_TOPIC: readonly [string, InputTopic['schema']][] = [
  [TOPICS.ticksAshare.name, 'market-tick'],
  [TOPICS.ticksHk.name, 'market-tick'],
  [TOPICS.fx.name, 'fx-rate'],
  // Raw quotes: the FX filter's input.
  [TOPICS.fxRaw.name, 'fx-rate'],
  [TOPICS.indexAdjustments.name, 'index-adjustment'],
];

export const KIND_OF_SCHEMA = {
  'market-tick': 'tick',
  'fx-rate': 'fx-rate',
  'index-adjustment': 'index-adjustment',
} as const satisfies Record<InputTopic['schema'], keyof typeof STREAM_KIND_RANK>;

/** Returns the input topic a name stands for: a catalogue input topic, possibly with a prefix. */
export function inputTopic(topic: string | InputTopic): InputTopic {
  if (typeof topic !== 'string') return topic;
  const match = SCHEMA_OF_CATALOGUE_TOPIC.find(([name]) => topic === name || topic.endsWith(name));
  if (match === undefined) throw new UnknownInputTopicError({ topic });
  return { name: topic, schema: match[1] };
}

/**
 * Decodes one record value into its event: synchronously once the value's schema id is resolved
 * (every record but the first of each schema), so the per-record path allocates no promise.
 */
export type Decoder = (bytes: Buffer, position: EventPosition) => IndexEvent | Promise<IndexEvent>;

function decoderOf<R>(
  serdes: FastAvroSerdes<R>,
  toEvent: (record: R, position: EventPosition) => IndexEvent,
): Decoder {
  return (bytes, position) => {
    const record = serdes.deserializeKnown(bytes);
    if (record !== undefined) return toEvent(record, position);
    return serdes.deserialize(bytes).then((decoded) => toEvent(decoded, position));
  };
}

export function decoderFor(registry: Client, topic: InputTopic): Decoder {
  switch (topic.schema) {
    case 'market-tick':
      return decoderOf(createAvroSerdes<MarketTickRecord>(registry, topic.name), tickRecordToEvent);
    case 'fx-rate':
      return decoderOf(createAvroSerdes<FxRateRecord>(registry, topic.name), fxRecordToEvent);
    case 'index-adjustment':
      return decoderOf(
        createAvroSerdes<IndexAdjustmentRecord>(registry, topic.name),
        adjustmentRecordToEvent,
      );
  }
}

export function undecodable(
  topic: string,
  partition: number,
  message: { readonly offset: string; readonly key: Buffer | null; readonly value: Buffer | null },
  detail: string,
  reason: string = DECODE_REJECT_REASONS.undecodable,
): RejectedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    reason,
    detail: cutText(detail, DEAD_LETTER_BOUNDS.detailChars),
  };
}

export class KafkaEventSource implements EventSource {
  readonly #options: KafkaEventSourceOptions;
  readonly #topics: readonly InputTopic[];
  readonly #decoders: ReadonlyMap<string, Decoder>;
  readonly #schemaOf: ReadonlyMap<string, InputTopic['schema']>;
  readonly #now: () => number;
  readonly #maxBuffered: number;
  readonly #waiter: MergeWaiter;
  #merge: EventMerge | undefined;
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  /** Per partition: the resume function of a partition paused for backpressure. */
  readonly #paused = new Map<string, () => void>();
  #failure: KafkaAdapterError | undefined;
  #closed = false;

  constructor(options: KafkaEventSourceOptions) {
    this.#options = options;
    this.#topics = options.topics.map(inputTopic);
    this.#decoders = new Map(this.#topics.map((topic) => [topic.name, decoderFor(options.registry, topic)]));
    this.#schemaOf = new Map(this.#topics.map((topic) => [topic.name, topic.schema]));
    this.#now = options.now ?? Date.now;
    this.#maxBuffered = options.maxBufferedPerPartition ?? 10_000;
    this.#waiter = new MergeWaiter(this.#now);
  }

  async start(from: InputOffsets | null): Promise<void> {
    const { kafka, groupId, logger } = this.#options;
    const merge = new EventMerge({
      ordering: this.#options.ordering ?? 'canonical',
      idleTimeoutMs: this.#options.idleTimeoutMs ?? 200,
      latenessMs: this.#options.latenessMs ?? 0,
      startOffsets: from,
      minFetchRoundsBeforeIdle: 2,
      resumeGraceMs: this.#options.resumeGraceMs ?? 100,
      staleAfterMs: this.#options.staleAfterMs ?? 10_000,
      ...(this.#options.onStale === undefined ? {} : { onStale: this.#options.onStale }),
    });
    this.#merge = merge;
    const admin = kafka.admin();
    this.#admin = admin;
    // Low and high offsets up front, so the assignment handler can seek synchronously, before
    // kafkajs's first fetch (a seek set later would race the fetch of the committed position).
    const bounds = new Map<string, { low: bigint; high: bigint }>();
    try {
      await admin.connect();
      for (const topic of this.#topics) {
        for (const p of await admin.fetchTopicOffsets(topic.name)) {
          bounds.set(`${topic.name}:${p.partition}`, { low: BigInt(p.low), high: BigInt(p.high) });
        }
      }
    } catch (cause) {
      throw new KafkaOperationError({
        operation: 'fetch topic offsets',
        target: this.#topics.map((t) => t.name).join(','),
        cause,
      });
    }

    const consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.#options.maxWaitTimeInMs ?? 100,
    });
    this.#consumer = consumer;
    let assigned: (() => void) | undefined;
    const firstAssignment = new Promise<void>((resolve) => {
      assigned = resolve;
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const now = this.#now();
      const assignments = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => {
          const key = `${topic}:${partition}`;
          const bound = bounds.get(key) ?? { low: 0n, high: 0n };
          const start = from?.[key];
          return {
            topic,
            partition,
            position: start === undefined ? bound.low : BigInt(start),
            highWatermark: bound.high,
            scheduled: this.#schemaOf.get(topic) === 'index-adjustment',
          };
        }),
      );
      merge.assign(assignments, now);
      // kafkajs rebuilds its positions from the group's committed offsets on every join; seek every
      // partition back to what this source has received, so nothing is skipped or read twice.
      for (const { topic, partition } of assignments) {
        const position = merge.position(`${topic}:${partition}`) ?? 0n;
        consumer.seek({ topic, partition, offset: position.toString() });
      }
      logger.info({ groupId, assignment: payload.memberAssignment }, 'partitions assigned');
      assigned?.();
      this.#signal();
    });
    // Proof that quiet partitions were fetched and found empty (see minFetchRoundsBeforeIdle).
    consumer.on(consumer.events.FETCH, ({ payload }) => {
      merge.fetched(String(payload.nodeId));
      this.#signal();
    });
    // A fetch of only control records (transaction markers) never reaches eachBatch.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0) return;
      merge.advance(
        `${payload.topic}:${payload.partition}`,
        { lastOffset: BigInt(payload.lastOffset), highWatermark: BigInt(payload.highWatermark) },
        this.#now(),
      );
      this.#signal();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ groupId, err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart) {
        this.#failure = new KafkaOperationError({
          operation: 'consume',
          target: groupId,
          cause: payload.error,
        });
        this.#signal();
      }
    });

    const timeoutMs = this.#options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.#topics.map((topic) => topic.name), fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.#onBatch(payload),
      });
      await Promise.race([
        firstAssignment,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new EventSourceStartError({ groupId, timeoutMs })), timeoutMs);
        }),
      ]);
    } catch (cause) {
      if (cause instanceof KafkaAdapterError) throw cause;
      throw new KafkaOperationError({ operation: 'consumer start', target: groupId, cause });
    } finally {
      clearTimeout(timer);
    }
  }

  async nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch> {
    const merge = this.#merge;
    if (merge === undefined)
      throw new KafkaOperationError({
        operation: 'nextBatch',
        target: this.#options.groupId,
        cause: new Error('start() was not called'),
      });
    return this.#waiter.nextBatch(merge, maxEvents, maxWaitMs, {
      failure: () => this.#failure,
      closed: () => this.#closed,
      held: () => false,
      released: () => this.#resumeDrained(merge),
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#signal();
    const results = await Promise.allSettled([this.#consumer?.disconnect(), this.#admin?.disconnect()]);
    for (const result of results) {
      if (result.status === 'rejected') this.#options.logger.warn({ err: result.reason }, 'close failed');
    }
  }

  async #onBatch({
    batch,
    resolveOffset,
    pause,
    isRunning,
    isStale,
    heartbeat,
  }: EachBatchPayload): Promise<void> {
    const merge = this.#merge;
    if (merge === undefined || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const key = `${topic}:${partition}`;
    const decode = this.#decoders.get(topic);
    const receivedAt = this.#now();
    const entries: MergeEntry[] = [];
    const rank = STREAM_KIND_RANK[KIND_OF_SCHEMA[this.#schemaOf.get(topic) ?? 'market-tick']];
    for (const message of batch.messages) {
      const offset = message.offset;
      const mark = readWatermark(message.headers);
      if (mark.kind !== 'none') {
        entries.push(
          mark.kind === 'watermark'
            ? { offset: BigInt(offset), watermark: { ...mark.watermark, rank } }
            : { offset: BigInt(offset), rejected: undecodable(topic, partition, message, mark.detail) },
        );
        continue;
      }
      if (message.value === null || decode === undefined) {
        entries.push({
          offset: BigInt(offset),
          rejected: undecodable(
            topic,
            partition,
            message,
            message.value === null ? 'value was null' : `topic ${topic} is not an input topic`,
          ),
        });
        continue;
      }
      try {
        let event = decode(message.value, { source: key, offset: Number(offset) });
        if (event instanceof Promise) event = await event;
        entries.push({
          offset: BigInt(offset),
          event: { event, topic, partition, offset, key: message.key, value: message.value, receivedAt },
        });
      } catch (error) {
        // A registry that did not answer after bounded retries (see SchemaIdLookup) may answer
        // later: fail the source, so the service stops and restarts from its last commit,
        // rather than dead-letter good records or have kafkajs refetch and retry forever.
        if (error instanceof SchemaRegistryError && error.retriable) {
          this.#failure = error;
          this.#signal();
          return;
        }
        entries.push({
          offset: BigInt(offset),
          rejected: undecodable(
            topic,
            partition,
            message,
            error instanceof Error ? error.message : String(error),
            decodeRejectReason(error),
          ),
        });
      }
    }
    if (!isRunning() || isStale()) return;
    merge.accept(
      key,
      entries,
      { lastOffset: BigInt(batch.lastOffset()), highWatermark: BigInt(batch.highWatermark) },
      this.#now(),
    );
    resolveOffset(batch.lastOffset());
    if (merge.buffered(key) >= this.#maxBuffered && !this.#paused.has(key)) {
      this.#paused.set(key, pause());
      this.#options.logger.debug(
        { topic, partition, buffered: merge.buffered(key) },
        'partition paused: buffer full',
      );
    }
    this.#signal();
    await heartbeat();
  }

  #resumeDrained(merge: EventMerge): void {
    for (const [key, resume] of this.#paused) {
      if (merge.buffered(key) * 2 > this.#maxBuffered) continue;
      this.#paused.delete(key);
      resume();
    }
  }

  #signal(): void {
    this.#waiter.signal();
  }
}
