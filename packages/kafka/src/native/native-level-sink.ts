import type { Client } from '@confluentinc/schemaregistry';
import type { IndexEvent } from '@indexflow/index-engine';
import type { InputOffsets, LevelSink, OutputTransaction } from '@indexflow/pipeline';
import { DerivedMessageEncoder, type DerivedRecords } from '../derived-messages.js';
import { KafkaOperationError, LevelTransactionError } from '../kafka-errors.js';
import type { StructuredLogger } from '../kafkajs-log-bridge.js';
import { LevelTransactionEncoder, offsetEntries } from '../level-transaction-messages.js';
import { committedWatermarkOf, offsetMetadata } from '../offset-metadata.js';
import type { LevelRecordOptions } from '../record-mapping.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  nativeKafka,
  nativeOperationError,
  type RdKafka,
  viaCallback,
} from './native-client.js';
import { produceAll } from './native-produce.js';

export interface NativeLevelSinkOptions<D = IndexEvent> {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: Client;
  readonly groupId: string;
  /**
   * The source's group member: sendOffsetsToTransaction needs its group metadata (KIP-447).
   * Omitted for a source that joins no group (it assigns its partitions itself, a single writer
   * by its transactional id): the offsets are then committed by group id alone, with the metadata
   * of the sink's own offsets reader, which never joins the group.
   */
  readonly groupConsumer?: () => RdKafka.KafkaConsumer | undefined;
  readonly inputTopics: readonly (string | { readonly name: string })[];
  readonly levelsTopic: string;
  readonly conflatedTopic?: string;
  readonly deadLetterTopic: string;
  readonly closesTopic?: string;
  /** Where derived events and the input watermark go (see KafkaLevelSinkOptions.derived). */
  readonly derived?: DerivedRecords<D>;
  readonly transactionalId: string;
  /** Must not exceed the broker's transaction.max.timeout.ms. Default 60 000. */
  readonly transactionTimeoutMs?: number;
  readonly levelRecord?: LevelRecordOptions;
  readonly logger: StructuredLogger;
}

const TIMEOUT_MS = 30_000;

/**
 * NativeLevelSink: KafkaLevelSink's contract on librdkafka's transactional producer. Each batch's
 * levels, dead letters and input offsets go in one transaction; the state store's stage
 * (`staged`) must succeed before the commit. Any failure aborts and starts over with a new
 * producer (initTransactions bumps the epoch and aborts whatever the old one left open).
 */
export class NativeLevelSink<D = IndexEvent> implements LevelSink<D> {
  readonly #options: NativeLevelSinkOptions<D>;
  readonly #encoder: LevelTransactionEncoder;
  readonly #derived: DerivedMessageEncoder<D> | null;
  readonly #partitionCounts = new Map<string, Promise<number>>();
  readonly #log: StructuredLogger;
  #producer: Promise<RdKafka.Producer> | undefined;
  #offsetsReader: Promise<RdKafka.KafkaConsumer> | undefined;

  constructor(options: NativeLevelSinkOptions<D>) {
    this.#options = options;
    this.#encoder = new LevelTransactionEncoder(options.registry, options, options.levelRecord);
    this.#derived =
      options.derived === undefined
        ? null
        : new DerivedMessageEncoder(options.derived, (topic) => this.#partitionCount(topic));
    this.#log = options.logger;
  }

  async commit(transaction: OutputTransaction<D>, staged?: Promise<void>): Promise<void> {
    const { transactionalId } = this.#options;
    const topicMessages = await this.#encoder.messages(transaction);
    if (this.#derived !== null) topicMessages.push(...(await this.#derived.messages(transaction)));
    const offsets = offsetEntries(transaction.offsets);
    if (topicMessages.length === 0 && offsets.length === 0) return;
    const producer = await this.#connectedProducer();
    const started = Date.now();
    let open = false;
    try {
      await viaCallback('begin transaction', transactionalId, (done) => producer.beginTransaction(done));
      open = true;
      await produceAll(producer, topicMessages);
      if (offsets.length > 0)
        await this.#sendOffsets(producer, offsets, offsetMetadata(transaction.passedWatermark));
      // The state must be staged before Kafka decides the batch happened (see StateStore).
      await staged;
      // Flushes every produced message first; a delivery failure fails the commit.
      await viaCallback('commit transaction', transactionalId, (done) =>
        producer.commitTransaction(TIMEOUT_MS, done),
      );
    } catch (cause) {
      const aborted = open && (await this.#abort(producer));
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
        durationMs: Date.now() - started,
      },
      'level transaction committed',
    );
  }

  /**
   * The group's committed input offsets. The producer connects first (initTransactions waits
   * out, or aborts, a transaction a predecessor left open); librdkafka then asks for stable
   * offsets (KIP-447 require_stable, read_committed), so a commit whose markers are still being
   * written is waited for by the broker, not polled for here.
   */
  async committedOffsets(): Promise<InputOffsets | null> {
    await this.#connectedProducer();
    const offsets: Record<string, string> = {};
    for (const { topic, partition, offset } of await this.#fetchCommitted())
      offsets[`${topic}:${partition}`] = String(offset);
    return Object.keys(offsets).length === 0 ? null : offsets;
  }

  /** The passed watermark committed with the offsets (see offset-metadata.ts), or null. */
  async committedWatermark(): Promise<number | null> {
    await this.#connectedProducer();
    return committedWatermarkOf((await this.#fetchCommitted()).map((entry) => entry.metadata));
  }

  /** The input partitions with a committed offset (stable: see committedOffsets), with metadata. */
  async #fetchCommitted(): Promise<RdKafka.TopicPartitionOffsetAndMetadata[]> {
    const { groupId } = this.#options;
    try {
      const reader = await this.#connectedOffsetsReader();
      const partitions = await this.#inputPartitions(reader);
      const committed = await viaCallback<RdKafka.TopicPartitionOffsetAndMetadata[]>(
        'fetch committed offsets',
        groupId,
        (done) => reader.committed(partitions, TIMEOUT_MS, done),
      );
      // librdkafka reports a partition without a committed offset as a negative logical offset.
      return committed.filter(({ offset }) => offset >= 0);
    } catch (cause) {
      throw nativeOperationError('fetch committed offsets', groupId, cause);
    }
  }

  async close(): Promise<void> {
    const clients = [this.#producer, this.#offsetsReader];
    this.#producer = undefined;
    this.#offsetsReader = undefined;
    const closing = clients.map(async (client) => {
      const connected = await client?.catch(() => undefined);
      if (connected !== undefined) await disconnectNative(connected);
    });
    for (const result of await Promise.allSettled(closing))
      if (result.status === 'rejected') this.#log.warn({ err: result.reason }, 'close failed');
  }

  async #sendOffsets(
    producer: RdKafka.Producer,
    offsets: ReturnType<typeof offsetEntries>,
    metadata: string | undefined,
  ): Promise<void> {
    const consumer =
      this.#options.groupConsumer === undefined
        ? await this.#connectedOffsetsReader()
        : this.#options.groupConsumer();
    if (consumer === undefined) {
      throw new KafkaOperationError({
        operation: 'send offsets',
        target: this.#options.groupId,
        cause: new Error('the event source has not started: no group member to commit offsets for'),
        retriable: false,
      });
    }
    const toppars = offsets.map(({ topic, partition, offset }) => ({
      topic,
      partition,
      offset: Number(offset),
      ...(metadata === undefined ? {} : { metadata }),
    }));
    await viaCallback('send offsets', this.#options.transactionalId, (done) =>
      producer.sendOffsetsToTransaction(toppars, consumer, TIMEOUT_MS, done),
    );
  }

  async #abort(producer: RdKafka.Producer): Promise<boolean> {
    try {
      await viaCallback('abort transaction', this.#options.transactionalId, (done) =>
        producer.abortTransaction(TIMEOUT_MS, done),
      );
      return true;
    } catch (abortError) {
      this.#log.error(
        { transactionalId: this.#options.transactionalId, err: abortError },
        'transaction abort failed',
      );
      return false;
    }
  }

  #connectedProducer(): Promise<RdKafka.Producer> {
    if (this.#producer === undefined) {
      const connecting = this.#createProducer();
      this.#producer = connecting;
      connecting.catch(() => {
        if (this.#producer === connecting) this.#producer = undefined;
      });
    }
    return this.#producer;
  }

  async #createProducer(): Promise<RdKafka.Producer> {
    const { brokers, clientId, transactionalId } = this.#options;
    const producer = new (nativeKafka().Producer)({
      ...baseConfig(brokers, clientId),
      'transactional.id': transactionalId,
      'transaction.timeout.ms': this.#options.transactionTimeoutMs ?? 60_000,
      // kafkajs's (and Java's) partitioner: a key lands on the same partition whichever client wrote it.
      partitioner: 'murmur2_random',
      // A transaction holds the batch's records until commit; the default 100 000 is one large batch.
      'queue.buffering.max.messages': 1_000_000,
      dr_cb: false,
    });
    await connectNative(producer, transactionalId);
    try {
      await viaCallback('init transactions', transactionalId, (done) =>
        producer.initTransactions(TIMEOUT_MS, done),
      );
    } catch (error) {
      await disconnectNative(producer);
      throw error;
    }
    return producer;
  }

  #connectedOffsetsReader(): Promise<RdKafka.KafkaConsumer> {
    if (this.#offsetsReader === undefined) {
      const { brokers, clientId, groupId } = this.#options;
      // Never subscribes, so it never joins the group: it only reads the group's offsets.
      const reader = new (nativeKafka().KafkaConsumer)({
        ...baseConfig(brokers, `${clientId}-offsets`),
        'group.id': groupId,
        'enable.auto.commit': false,
        'isolation.level': 'read_committed',
      });
      const connecting = connectNative(reader, groupId).then(() => reader);
      this.#offsetsReader = connecting;
      connecting.catch(() => {
        if (this.#offsetsReader === connecting) this.#offsetsReader = undefined;
      });
    }
    return this.#offsetsReader;
  }

  /** Partitions of an output topic, asked once (a watermark goes to each of them). */
  #partitionCount(topic: string): Promise<number> {
    let count = this.#partitionCounts.get(topic);
    if (count === undefined) {
      count = (async () => {
        const reader = await this.#connectedOffsetsReader();
        const metadata = await viaCallback<RdKafka.Metadata>('fetch metadata', topic, (done) =>
          reader.getMetadata({ topic, timeout: TIMEOUT_MS }, done),
        );
        return metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      })();
      count.catch(() => this.#partitionCounts.delete(topic));
      this.#partitionCounts.set(topic, count);
    }
    return count;
  }

  async #inputPartitions(reader: RdKafka.KafkaConsumer): Promise<RdKafka.TopicPartition[]> {
    const partitions: RdKafka.TopicPartition[] = [];
    for (const entry of this.#options.inputTopics) {
      const topic = typeof entry === 'string' ? entry : entry.name;
      const metadata = await viaCallback<RdKafka.Metadata>('fetch metadata', topic, (done) =>
        reader.getMetadata({ topic, timeout: TIMEOUT_MS }, done),
      );
      for (const { id } of metadata.topics.find((t) => t.name === topic)?.partitions ?? [])
        partitions.push({ topic, partition: id });
    }
    return partitions;
  }

  async #resetProducer(): Promise<void> {
    const previous = this.#producer;
    this.#producer = undefined;
    try {
      const producer = await previous;
      if (producer !== undefined) await disconnectNative(producer);
    } catch (error) {
      this.#log.warn({ err: error }, 'producer disconnect after a failed transaction failed');
    }
  }
}
