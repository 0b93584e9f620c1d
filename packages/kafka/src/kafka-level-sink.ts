import type { Client } from '@confluentinc/schemaregistry';
import type { IndexEvent } from '@indexflow/index-engine';
import type { InputOffsets, LevelSink, OutputTransaction } from '@indexflow/pipeline';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createCachedKeyPartitioner } from './cached-key-partitioner.js';
import { retryConcurrentTransactions } from './concurrent-transactions.js';
import { DerivedMessageEncoder, type DerivedRecords } from './derived-messages.js';
import { KafkaAdapterError, KafkaOperationError, LevelTransactionError } from './kafka-errors.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';
import { LevelTransactionEncoder, offsetEntries } from './level-transaction-messages.js';
import { committedWatermarkOf, offsetMetadata } from './offset-metadata.js';
import { chunkTopicMessages } from './produce-chunks.js';
import type { LevelRecordOptions } from './record-mapping.js';

export interface KafkaLevelSinkOptions<D = IndexEvent> {
  readonly kafka: Kafka;
  readonly registry: Client;
  /** Consumer group of the event source; the transaction commits the input offsets for it. */
  readonly groupId: string;
  /** Input topics whose committed offsets `committedOffsets()` reads. */
  readonly inputTopics: readonly (string | { readonly name: string })[];
  readonly levelsTopic: string;
  /** Where `transaction.conflated` goes (same schema as the levels); omitted: conflated levels are dropped. */
  readonly conflatedTopic?: string;
  readonly deadLetterTopic: string;
  /** Where `transaction.closes` go (index-close.avsc, key `<indexId>:<tradingDate>`); omitted: closes are dropped. */
  readonly closesTopic?: string;
  /**
   * Where and how `transaction.derived` events go (e.g. fxRateRecords), and `transaction.watermark`
   * to each partition of that topic; omitted: both are dropped.
   */
  readonly derived?: DerivedRecords<D>;
  /** Stable per calculator instance (e.g. `indexflow-calculator-<id>`): fences a zombie predecessor. */
  readonly transactionalId: string;
  /** Must not exceed the broker's transaction.max.timeout.ms. Default 60 000. */
  readonly transactionTimeoutMs?: number;
  /** How long committedOffsets() waits for this instance's last commit to be visible. Default 10 000. */
  readonly stableOffsetsTimeoutMs?: number;
  /** Index currency and FX observation lookup for the level records. */
  readonly levelRecord?: LevelRecordOptions;
  readonly logger: StructuredLogger;
}

interface PartitionCommit {
  readonly partition: number;
  readonly offset: string;
  /** kafkajs sends it (TxnOffsetCommit), though its types leave it out. */
  readonly metadata?: string;
}

/** A committed input offset as the admin reads it back, with its metadata. */
interface CommittedEntry {
  readonly key: string;
  readonly offset: string;
  readonly metadata: string | null;
}

/** Whether every partition of a commit shows its offset and its watermark (or none). */
function isVisible(
  expected: { readonly offsets: InputOffsets; readonly watermark: number | null },
  committed: readonly CommittedEntry[],
): boolean {
  const byKey = new Map(committed.map((entry) => [entry.key, entry]));
  return Object.entries(expected.offsets).every(([key, offset]) => {
    const entry = byKey.get(key);
    return entry?.offset === offset && committedWatermarkOf([entry.metadata]) === expected.watermark;
  });
}

/** Groups `topic:partition` → offset into kafkajs's sendOffsets shape, each with `metadata`. */
function offsetsByTopic(
  offsets: InputOffsets,
  metadata: string | undefined,
): { topic: string; partitions: PartitionCommit[] }[] {
  const byTopic = new Map<string, PartitionCommit[]>();
  for (const { topic, partition, offset } of offsetEntries(offsets)) {
    const partitions = byTopic.get(topic) ?? [];
    partitions.push(metadata === undefined ? { partition, offset } : { partition, offset, metadata });
    byTopic.set(topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/**
 * KafkaLevelSink publishes each batch's levels (Avro, keyed by indexId), its dead letters and the
 * input offsets it consumed in one Kafka transaction, so read_committed readers and the consumer
 * group see all of it or none of it.
 */
export class KafkaLevelSink<D = IndexEvent> implements LevelSink<D> {
  readonly #options: KafkaLevelSinkOptions<D>;
  readonly #encoder: LevelTransactionEncoder;
  readonly #derived: DerivedMessageEncoder<D> | null;
  readonly #partitionCounts = new Map<string, Promise<number>>();
  readonly #log: StructuredLogger;
  #producer: Promise<Producer> | undefined;
  #admin: Promise<Admin> | undefined;
  /**
   * Offsets and passed watermark of this instance's last committed transaction, to wait for in
   * committedOffsets(): a commit may repeat the offsets with another watermark (or none).
   */
  #lastCommitted: { readonly offsets: InputOffsets; readonly watermark: number | null } | undefined;

  constructor(options: KafkaLevelSinkOptions<D>) {
    this.#options = options;
    this.#encoder = new LevelTransactionEncoder(options.registry, options, options.levelRecord);
    this.#derived =
      options.derived === undefined
        ? null
        : new DerivedMessageEncoder(options.derived, (topic) => this.#partitionCount(topic));
    this.#log = options.logger;
  }

  async commit(transaction: OutputTransaction<D>, staged?: Promise<void>): Promise<void> {
    const { transactionalId, groupId } = this.#options;
    const topicMessages = await this.#encoder.messages(transaction);
    if (this.#derived !== null) topicMessages.push(...(await this.#derived.messages(transaction)));
    const topics = offsetsByTopic(transaction.offsets, offsetMetadata(transaction.passedWatermark));
    if (topicMessages.length === 0 && topics.length === 0) return;

    const producer = await this.#connectedProducer();
    const started = Date.now();
    let tx: Awaited<ReturnType<Producer['transaction']>> | undefined;
    try {
      tx = await producer.transaction();
      for (const chunk of chunkTopicMessages(topicMessages)) await tx.sendBatch({ topicMessages: chunk });
      if (topics.length > 0) {
        const open = tx;
        await retryConcurrentTransactions(() => open.sendOffsets({ consumerGroupId: groupId, topics }));
      }
      // The state must be staged before Kafka decides the batch happened (see StateStore).
      await staged;
      await tx.commit();
      if (topics.length > 0) {
        this.#lastCommitted = {
          offsets: transaction.offsets,
          watermark: transaction.passedWatermark ?? null,
        };
      }
    } catch (cause) {
      let aborted = false;
      if (tx !== undefined) {
        try {
          await tx.abort();
          aborted = true;
        } catch (abortError) {
          this.#log.error({ transactionalId, err: abortError }, 'transaction abort failed');
        }
      }
      // Always start over with a new producer id/epoch. kafkajs keeps per-partition sequence numbers
      // across an abort and does not advance them for partitions of a request that failed as a
      // whole, so the next transaction's first record on such a partition reuses a sequence the
      // broker already has and is silently dropped as a duplicate (seen with MESSAGE_TOO_LARGE).
      await this.#resetProducer();
      const error = new LevelTransactionError({
        transactionalId,
        offsets: transaction.offsets,
        aborted,
        cause,
      });
      this.#log.error(
        { transactionalId, aborted, retriable: error.retriable, err: cause },
        'level transaction failed',
      );
      throw error;
    }
    this.#log.debug(
      {
        levels: transaction.levels.length,
        deadLetters: transaction.rejected.length,
        offsets: transaction.offsets,
        durationMs: Date.now() - started,
      },
      'level transaction committed',
    );
  }

  /**
   * Returns the group's committed input offsets. Transactional offsets become visible only when
   * the coordinator has written the commit markers, after EndTxn has already answered, and
   * kafkajs's OffsetFetch (v4) cannot ask for stable offsets (KIP-447 `requireStable`). So this
   * first connects the transactional producer (InitProducerId waits out, or aborts, a transaction
   * a predecessor left in flight), and after a commit by this instance it polls until the
   * offsets and metadata of that commit are visible.
   */
  async committedOffsets(): Promise<InputOffsets | null> {
    const committed = await this.#visibleCommitted();
    return committed.length === 0 ? null : Object.fromEntries(committed.map((e) => [e.key, e.offset]));
  }

  /** The passed watermark committed with the offsets (see offset-metadata.ts), or null. */
  async committedWatermark(): Promise<number | null> {
    const committed = await this.#visibleCommitted();
    return committedWatermarkOf(committed.map((entry) => entry.metadata));
  }

  /** The committed entries, once this instance's last commit (offsets and metadata) shows. */
  async #visibleCommitted(): Promise<CommittedEntry[]> {
    await this.#connectedProducer();
    const expected = this.#lastCommitted;
    const deadline = Date.now() + (this.#options.stableOffsetsTimeoutMs ?? 10_000);
    for (;;) {
      const committed = await this.#fetchCommitted();
      if (expected === undefined || isVisible(expected, committed)) return committed;
      if (Date.now() >= deadline) {
        throw new KafkaOperationError({
          operation: 'fetch committed offsets',
          target: this.#options.groupId,
          retriable: true,
          cause: new Error(
            `offsets were ${JSON.stringify(committed)}; expected the last commit's ${JSON.stringify(expected)}`,
          ),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The input partitions with a committed offset, with its metadata. */
  async #fetchCommitted(): Promise<CommittedEntry[]> {
    const { groupId } = this.#options;
    const topics = this.#options.inputTopics.map((topic) => (typeof topic === 'string' ? topic : topic.name));
    try {
      const admin = await this.#connectedAdmin();
      const fetched = await admin.fetchOffsets({ groupId, topics });
      const committed: CommittedEntry[] = [];
      for (const { topic, partitions } of fetched) {
        for (const { partition, offset, metadata } of partitions) {
          // kafkajs reports a partition without a committed offset as -1.
          if (BigInt(offset) >= 0n) committed.push({ key: `${topic}:${partition}`, offset, metadata });
        }
      }
      return committed;
    } catch (cause) {
      throw new KafkaOperationError({ operation: 'fetch committed offsets', target: groupId, cause });
    }
  }

  async close(): Promise<void> {
    const closing = [this.#producer, this.#admin].map(async (client) => (await client)?.disconnect());
    this.#producer = undefined;
    this.#admin = undefined;
    for (const result of await Promise.allSettled(closing)) {
      if (result.status === 'rejected') this.#log.warn({ err: result.reason }, 'close failed');
    }
  }

  #connectedProducer(): Promise<Producer> {
    if (this.#producer === undefined) {
      const { kafka, transactionalId } = this.#options;
      const producer = kafka.producer({
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: this.#options.transactionTimeoutMs ?? 60_000,
        allowAutoTopicCreation: false,
        createPartitioner: createCachedKeyPartitioner,
        // The coordinator finishes a commit (writes its markers) after EndTxn has answered, so the
        // next transaction's AddPartitionsToTxn is often refused with CONCURRENT_TRANSACTIONS, a
        // retriable error (about one transaction in four here, when the next follows at once).
        // kafkajs's default first retry waits ~300 ms; the Java client's 20 ms still cost ~4 ms per
        // transaction on average, against a marker write that takes about 1 ms. A 5 ms first step
        // halved the time to a transaction's first send; 14 doubling retries capped at 2 s keep
        // about the default total retry window (~12 s) for real outages.
        retry: { initialRetryTime: 5, maxRetryTime: 2_000, retries: 14 },
      });
      // connect() runs InitProducerId: it bumps the epoch, fencing any older producer with this id
      // and aborting a transaction it left open.
      const connecting = producer.connect().then(() => producer);
      this.#producer = connecting;
      connecting.catch(() => {
        if (this.#producer === connecting) this.#producer = undefined;
      });
    }
    return this.#producer.catch((cause: unknown) => {
      if (cause instanceof KafkaAdapterError) throw cause;
      throw new KafkaOperationError({
        operation: 'producer connect',
        target: this.#options.transactionalId,
        cause,
      });
    });
  }

  /** Partitions of an output topic, asked once (a watermark goes to each of them). */
  #partitionCount(topic: string): Promise<number> {
    let count = this.#partitionCounts.get(topic);
    if (count === undefined) {
      count = this.#connectedAdmin()
        .then((admin) => admin.fetchTopicMetadata({ topics: [topic] }))
        .then((metadata) => metadata.topics[0]?.partitions.length ?? 0)
        .catch((cause: unknown) => {
          this.#partitionCounts.delete(topic);
          throw new KafkaOperationError({ operation: 'fetch topic metadata', target: topic, cause });
        });
      this.#partitionCounts.set(topic, count);
    }
    return count;
  }

  #connectedAdmin(): Promise<Admin> {
    if (this.#admin === undefined) {
      const admin = this.#options.kafka.admin();
      const connecting = admin.connect().then(() => admin);
      this.#admin = connecting;
      connecting.catch(() => {
        if (this.#admin === connecting) this.#admin = undefined;
      });
    }
    return this.#admin;
  }

  // A new producer's InitProducerId bumps the epoch (resetting sequences) and aborts whatever the
  // old one left open.
  async #resetProducer(): Promise<void> {
    const previous = this.#producer;
    this.#producer = undefined;
    try {
      await (await previous)?.disconnect();
    } catch (error) {
      this.#log.warn({ err: error }, 'producer disconnect after a failed transaction failed');
    }
  }
}
