import type { Client } from '@confluentinc/schemaregistry';
import { STREAM_KIND_RANK } from '@indexflow/index-engine';
import {
  type EventBatch,
  EventMerge,
  type EventOrdering,
  type EventSource,
  type InputOffsets,
  MergeWaiter,
  type PartitionAssignment,
} from '@indexflow/pipeline';
import { EventSourceStartError, KafkaOperationError, SchemaRegistryError } from '../kafka-errors.js';
import {
  type Decoder,
  decoderFor,
  type InputTopic,
  inputTopic,
  KIND_OF_SCHEMA,
} from '../kafka-event-source.js';
import type { StructuredLogger } from '../kafkajs-log-bridge.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  type NativeKafka,
  nativeKafka,
  nativeOperationError,
  type RdKafka,
  viaCallback,
} from './native-client.js';
import { byPartition, type PartitionMessages, toMergeEntries } from './native-message-entries.js';

export interface NativeEventSourceOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: Client;
  readonly groupId: string;
  readonly topics: readonly (string | InputTopic)[];
  readonly ordering?: EventOrdering;
  readonly idleTimeoutMs?: number;
  readonly latenessMs?: number;
  readonly resumeGraceMs?: number;
  /** Silence after which a watermark-writing producer's partition is stale (see EventMerge). Default 10 000. */
  readonly staleAfterMs?: number;
  readonly onStale?: (partition: string, watermark: number | undefined) => void;
  /** Records buffered per partition before it is paused. Default 10 000. */
  readonly maxBufferedPerPartition?: number;
  readonly startTimeoutMs?: number;
  /** Messages one consume() call returns at most. Default 5 000. */
  readonly consumeBatchSize?: number;
  /** How long consume() waits for a first message (and fetch.wait.max.ms). Default 100. */
  readonly maxWaitTimeInMs?: number;
  readonly logger: StructuredLogger;
  readonly now?: () => number;
}

type Bounds = ReadonlyMap<string, { readonly low: bigint; readonly high: bigint }>;

const ERR_ASSIGN_PARTITIONS = -175;

/**
 * The calculator's input on librdkafka's native API: the same topics, decoders, EventMerge and
 * batches as KafkaEventSource (see there for the merge and its latency), fed by `consume(n)`.
 * read_committed, no auto-commit and no offset store: offsets move only in the sink's
 * transaction (sendOffsetsToTransaction with this consumer's group metadata). Partitions are
 * assigned by the group, and the rebalance callback assigns them at the merge's own positions,
 * so nothing is skipped or read twice across a rebalance.
 */
export class NativeEventSource implements EventSource {
  readonly #options: NativeEventSourceOptions;
  readonly #topics: readonly InputTopic[];
  readonly #decoders: ReadonlyMap<string, Decoder>;
  readonly #schemaOf: ReadonlyMap<string, InputTopic['schema']>;
  readonly #now: () => number;
  readonly #maxBuffered: number;
  readonly #waiter: MergeWaiter;
  readonly #paused = new Set<string>();
  /** Scheduled partitions (index adjustments) with records not yet fetched at assignment: key → end. */
  readonly #scheduledBacklog = new Map<string, bigint>();
  #eofs: RdKafka.EofEvent[] = [];
  #merge: EventMerge | undefined;
  #consumer: RdKafka.KafkaConsumer | undefined;
  #pumping: Promise<void> | undefined;
  #failure: Error | undefined;
  #closed = false;

  constructor(options: NativeEventSourceOptions) {
    this.#options = options;
    this.#topics = options.topics.map(inputTopic);
    this.#decoders = new Map(this.#topics.map((topic) => [topic.name, decoderFor(options.registry, topic)]));
    this.#schemaOf = new Map(this.#topics.map((topic) => [topic.name, topic.schema]));
    this.#now = options.now ?? Date.now;
    this.#maxBuffered = options.maxBufferedPerPartition ?? 10_000;
    this.#waiter = new MergeWaiter(this.#now);
  }

  /** The group member whose metadata the sink's transaction commits offsets with (after start). */
  groupConsumer(): RdKafka.KafkaConsumer | undefined {
    return this.#consumer;
  }

  async start(from: InputOffsets | null): Promise<void> {
    const { groupId } = this.#options;
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
    const kafka = nativeKafka();
    let assigned: (() => void) | undefined;
    const firstAssignment = new Promise<void>((resolve) => {
      assigned = resolve;
    });
    let bounds: Bounds = new Map();
    const consumer = this.#createConsumer(kafka, (assignment) => {
      this.#assign(consumer, merge, bounds, from, assignment);
      assigned?.();
    });
    this.#consumer = consumer;
    const timeoutMs = this.#options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await connectNative(consumer, groupId);
      // Low and high offsets before joining, so the rebalance callback can assign synchronously.
      bounds = await this.#bounds(consumer);
      // consume() emits a call's end-of-partition events before it hands over the call's messages;
      // applied at once they would move the merge past records it has not seen yet.
      consumer.on('partition.eof', (eof) => this.#eofs.push(eof));
      // A fatal error leaves the consumer unusable, and consume() may go on answering nothing:
      // fail the run at once so that the service recovers with a new consumer.
      consumer.on('event.error', (error: RdKafka.LibrdKafkaError) => {
        if (error.isFatal !== true || this.#closed || this.#failure !== undefined) return;
        this.#options.logger.error({ groupId, err: error }, 'consumer failed (fatal)');
        this.#failure = nativeOperationError('consume', groupId, error);
        this.#waiter.signal();
      });
      consumer.subscribe(this.#topics.map((topic) => topic.name));
      this.#pumping = this.#pump(consumer, merge);
      await Promise.race([
        firstAssignment,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new EventSourceStartError({ groupId, timeoutMs })), timeoutMs);
        }),
      ]);
    } catch (cause) {
      if (cause instanceof EventSourceStartError || cause instanceof KafkaOperationError) throw cause;
      throw nativeOperationError('consumer start', groupId, cause);
    } finally {
      clearTimeout(timer);
    }
  }

  nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch> {
    const merge = this.#merge;
    if (merge === undefined) {
      const cause = new Error('start() was not called');
      return Promise.reject(
        new KafkaOperationError({ operation: 'nextBatch', target: this.#options.groupId, cause }),
      );
    }
    return this.#waiter.nextBatch(merge, maxEvents, maxWaitMs, {
      failure: () => this.#failure,
      closed: () => this.#closed,
      held: () => this.#scheduledPending(merge),
      released: () => this.#resumeDrained(merge),
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#waiter.signal();
    await this.#pumping;
    if (this.#consumer !== undefined) await disconnectNative(this.#consumer);
  }

  #createConsumer(
    kafka: NativeKafka,
    onAssign: (assignment: RdKafka.Assignment[]) => void,
  ): RdKafka.KafkaConsumer {
    const { brokers, clientId, groupId } = this.#options;
    const consumer = new kafka.KafkaConsumer(
      {
        ...baseConfig(brokers, clientId),
        'group.id': groupId,
        // Static membership: a calculator restarted after a crash takes its predecessor's place
        // (and partitions) at once, instead of waiting out the dead member's session (10 s per
        // restart). Its one hazard: a static member whose JoinGroup response is lost (a broker
        // killed mid-rebalance) can be fenced by its own instance id, which librdkafka makes
        // fatal; the 'event.error' listener below then fails the run, and the new consumer of the
        // in-process recovery rejoins under the same id, which replaces the fenced member.
        'group.instance.id': groupId,
        'session.timeout.ms': 10_000,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'isolation.level': 'read_committed',
        'enable.partition.eof': true,
        'allow.auto.create.topics': false,
        'fetch.wait.max.ms': this.#options.maxWaitTimeInMs ?? 100,
        // The callback assigns at the merge's positions instead of the committed offsets. It also
        // comes while the consumer closes, and assign/unassign throw (Local: Erroneous state) on a
        // consumer that is closing or failed: thrown out of a native callback, that would end the
        // process, so it fails the run instead (no assignment once closing).
        rebalance_cb: (err: RdKafka.LibrdKafkaError, assignment: RdKafka.Assignment[]) => {
          try {
            if (err.code !== ERR_ASSIGN_PARTITIONS) {
              this.#paused.clear();
              consumer.unassign();
            } else if (!this.#closed) onAssign(assignment);
          } catch (error) {
            if (this.#closed || this.#failure !== undefined) return;
            this.#options.logger.error({ groupId, err: error }, 'consumer failed (rebalance)');
            this.#failure = nativeOperationError('rebalance', groupId, error);
            this.#waiter.signal();
          }
        },
      },
      { 'auto.offset.reset': 'earliest' },
    );
    consumer.setDefaultConsumeTimeout(this.#options.maxWaitTimeInMs ?? 100);
    // Return what is ready once the first message is in, rather than waiting for a full batch.
    (
      consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void }
    ).setDefaultIsTimeoutOnlyForFirstMessage(true);
    return consumer;
  }

  #assign(
    consumer: RdKafka.KafkaConsumer,
    merge: EventMerge,
    bounds: Bounds,
    from: InputOffsets | null,
    assignment: readonly RdKafka.Assignment[],
  ): void {
    const assignments: PartitionAssignment[] = assignment.map(({ topic, partition }) => {
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
    });
    merge.assign(assignments, this.#now());
    this.#paused.clear();
    this.#scheduledBacklog.clear();
    for (const { topic, partition, highWatermark, scheduled } of assignments) {
      const key = `${topic}:${partition}`;
      if (scheduled && (merge.position(key) ?? 0n) < highWatermark)
        this.#scheduledBacklog.set(key, highWatermark);
    }
    consumer.assign(
      assignments.map(({ topic, partition }) => ({
        topic,
        partition,
        offset: Number(merge.position(`${topic}:${partition}`) ?? 0n),
      })),
    );
    this.#options.logger.info(
      { groupId: this.#options.groupId, assignment: assignments.map((a) => `${a.topic}:${a.partition}`) },
      'partitions assigned',
    );
    this.#waiter.signal();
  }

  async #bounds(consumer: RdKafka.KafkaConsumer): Promise<Bounds> {
    const bounds = new Map<string, { low: bigint; high: bigint }>();
    for (const topic of this.#topics) {
      const metadata = await viaCallback<RdKafka.Metadata>('fetch metadata', topic.name, (done) =>
        consumer.getMetadata({ topic: topic.name, timeout: 10_000 }, done),
      );
      const partitions = metadata.topics.find((t) => t.name === topic.name)?.partitions ?? [];
      for (const { id } of partitions) {
        const offsets = await viaCallback<RdKafka.WatermarkOffsets>(
          'fetch topic offsets',
          topic.name,
          (done) => consumer.queryWatermarkOffsets(topic.name, id, 10_000, done),
        );
        bounds.set(`${topic.name}:${id}`, {
          low: BigInt(offsets.lowOffset),
          high: BigInt(offsets.highOffset),
        });
      }
    }
    return bounds;
  }

  async #pump(consumer: RdKafka.KafkaConsumer, merge: EventMerge): Promise<void> {
    const size = this.#options.consumeBatchSize ?? 5_000;
    while (!this.#closed) {
      try {
        const messages = await viaCallback<RdKafka.Message[]>('consume', this.#options.groupId, (done) =>
          consumer.consume(size, done),
        );
        const eofs = this.#eofs;
        this.#eofs = [];
        merge.fetched('native');
        for (const group of byPartition(messages)) await this.#accept(consumer, merge, group);
        for (const eof of eofs) this.#atEnd(merge, eof);
      } catch (error) {
        if (this.#closed) return;
        this.#options.logger.error({ groupId: this.#options.groupId, err: error }, 'consumer failed');
        this.#failure = error instanceof Error ? error : new Error(String(error));
        this.#waiter.signal();
        return;
      }
      this.#waiter.signal();
    }
  }

  async #accept(consumer: RdKafka.KafkaConsumer, merge: EventMerge, group: PartitionMessages): Promise<void> {
    const { topic, partition, messages } = group;
    const key = `${topic}:${partition}`;
    const entries = await toMergeEntries(
      group,
      this.#decoders.get(topic),
      STREAM_KIND_RANK[KIND_OF_SCHEMA[this.#schemaOf.get(topic) ?? 'market-tick']],
      this.#now(),
      // A registry that did not answer may answer later: fail rather than dead-letter good records.
      (error) => error instanceof SchemaRegistryError && error.retriable,
    );
    const lastOffset = BigInt(messages[messages.length - 1]?.offset ?? -1);
    merge.accept(
      key,
      entries,
      { lastOffset, highWatermark: this.#highWatermark(consumer, topic, partition, lastOffset) },
      this.#now(),
    );
    if (merge.buffered(key) >= this.#maxBuffered && !this.#paused.has(key)) {
      this.#paused.add(key);
      consumer.pause([{ topic, partition }]);
      this.#options.logger.debug(
        { topic, partition, buffered: merge.buffered(key) },
        'partition paused: buffer full',
      );
    }
  }

  /** The partition was read to its end (past any transaction markers) at `eof.offset`. */
  #atEnd(merge: EventMerge, eof: RdKafka.EofEvent): void {
    const position = BigInt(eof.offset);
    merge.advance(
      `${eof.topic}:${eof.partition}`,
      { lastOffset: position - 1n, highWatermark: position },
      this.#now(),
    );
  }

  // librdkafka caches the last fetch's high watermark (the last stable offset, read_committed).
  #highWatermark(
    consumer: RdKafka.KafkaConsumer,
    topic: string,
    partition: number,
    lastOffset: bigint,
  ): bigint {
    try {
      return BigInt(consumer.getWatermarkOffsets(topic, partition).highOffset);
    } catch {
      return lastOffset + 1n;
    }
  }

  /**
   * A scheduled partition never holds the merge back (EventMerge), so an adjustment already on the
   * broker must be in the merge before anything is released: librdkafka may deliver the tick
   * partitions' first fetches before the adjustments', and ticks released past an adjustment's
   * instant would make it late. Held only until the partition's records at assignment are read.
   */
  #scheduledPending(merge: EventMerge): boolean {
    for (const [key, end] of this.#scheduledBacklog)
      if ((merge.position(key) ?? 0n) >= end) this.#scheduledBacklog.delete(key);
    return this.#scheduledBacklog.size > 0;
  }

  #resumeDrained(merge: EventMerge): void {
    const consumer = this.#consumer;
    if (consumer === undefined) return;
    for (const key of this.#paused) {
      if (merge.buffered(key) * 2 > this.#maxBuffered) continue;
      this.#paused.delete(key);
      const separator = key.lastIndexOf(':');
      consumer.resume([{ topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)) }]);
    }
  }
}
