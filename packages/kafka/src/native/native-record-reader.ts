import { readerGroupId } from '../client-group-ids.js';
import type { StructuredLogger } from '../kafkajs-log-bridge.js';
import type {
  ConsumedRecord,
  GroupReadOptions,
  PartitionOffsets,
  PartitionStart,
  RecordBatch,
  RecordReader,
} from '../record-ports.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  nativeKafka,
  type RdKafka,
  viaCallback,
} from './native-client.js';
import { byPartition } from './native-message-entries.js';

const TIMEOUT_MS = 10_000;
/** Pause before a batch whose handler failed is read again. */
const RETRY_MS = 1_000;

export interface NativeRecordReaderOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Messages one consume() call returns at most. Default 1 000. */
  readonly consumeBatchSize?: number;
  readonly logger?: StructuredLogger;
}

function consumedRecord(message: RdKafka.Message): ConsumedRecord {
  const key = message.key;
  return {
    topic: message.topic,
    partition: message.partition,
    offset: String(message.offset),
    key: key === undefined || key === null ? null : typeof key === 'string' ? Buffer.from(key) : key,
    value: message.value,
    headers:
      message.headers === undefined || message.headers.length === 0
        ? undefined
        : Object.assign({}, ...message.headers),
  };
}

/**
 * RecordReader on librdkafka's native consumer: read_committed, batches from `consume(n)`.
 * readFrom assigns the partitions itself (no group join, nothing committed); readInGroup
 * subscribes and stores each batch's offsets after its handler, which librdkafka's auto-commit
 * then commits (at least once).
 */
export class NativeRecordReader implements RecordReader {
  readonly #options: NativeRecordReaderOptions;
  readonly #loops: Promise<void>[] = [];
  readonly #consumers: RdKafka.KafkaConsumer[] = [];
  #metadata: Promise<RdKafka.KafkaConsumer> | undefined;
  #closed = false;

  constructor(options: NativeRecordReaderOptions) {
    nativeKafka(); // fail here, with the reason, when the client did not build
    this.#options = options;
  }

  async partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    const consumer = await this.#metadataConsumer();
    const offsets: PartitionOffsets[] = [];
    for (const partition of await this.#partitions(consumer, topic)) {
      const { lowOffset, highOffset } = await viaCallback<RdKafka.WatermarkOffsets>(
        'fetch topic offsets',
        topic,
        (done) => consumer.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, done),
      );
      offsets.push({ partition, low: BigInt(lowOffset), high: BigInt(highOffset) });
    }
    return offsets;
  }

  async offsetsForTime(topic: string, time: number): Promise<{ partition: number; offset: bigint }[]> {
    const consumer = await this.#metadataConsumer();
    const ends = new Map((await this.partitionOffsets(topic)).map((p) => [p.partition, p.high]));
    const found = await viaCallback<RdKafka.TopicPartitionOffset[]>('offsets for times', topic, (done) =>
      consumer.offsetsForTimes(
        // librdkafka takes the timestamp in the offset field.
        [...ends.keys()].map((partition) => ({ topic, partition, offset: time })),
        TIMEOUT_MS,
        done,
      ),
    );
    // librdkafka answers a logical offset (negative) when no record is stamped that late.
    return found.map(({ partition, offset }) => ({
      partition,
      offset: offset >= 0 ? BigInt(offset) : (ends.get(partition) ?? 0n),
    }));
  }

  async readFrom(
    starts: readonly PartitionStart[],
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<void> {
    const groupId = readerGroupId(this.#options.clientId);
    const consumer = await this.#connect({ 'group.id': groupId, 'enable.auto.commit': false }, 'earliest');
    consumer.assign(
      starts.map(({ topic, partition, offset }) => ({ topic, partition, offset: Number(offset) })),
    );
    this.#loops.push(this.#pump(consumer, onBatch, false));
  }

  async readInGroup(
    options: GroupReadOptions,
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<void> {
    const consumer = await this.#connect(
      { 'group.id': options.groupId, 'enable.auto.commit': true, 'enable.auto.offset.store': false },
      options.fromBeginning ? 'earliest' : 'latest',
    );
    consumer.subscribe([...options.topics]);
    this.#loops.push(this.#pump(consumer, onBatch, true));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#loops.splice(0));
    const metadata = await this.#metadata?.catch(() => undefined);
    const consumers = [...this.#consumers.splice(0), ...(metadata === undefined ? [] : [metadata])];
    this.#metadata = undefined;
    await Promise.allSettled(consumers.map((consumer) => disconnectNative(consumer)));
  }

  async #connect(
    config: Record<string, string | boolean>,
    reset: 'earliest' | 'latest',
  ): Promise<RdKafka.KafkaConsumer> {
    const consumer = new (nativeKafka().KafkaConsumer)(
      {
        ...baseConfig(this.#options.brokers, this.#options.clientId),
        ...config,
        'isolation.level': 'read_committed',
        'enable.partition.eof': true,
        'allow.auto.create.topics': false,
        'fetch.wait.max.ms': 100,
      },
      { 'auto.offset.reset': reset },
    );
    consumer.setDefaultConsumeTimeout(100);
    // Return what is ready once the first message is in, rather than waiting for a full batch.
    (
      consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void }
    ).setDefaultIsTimeoutOnlyForFirstMessage(true);
    this.#consumers.push(consumer);
    await connectNative(consumer, this.#options.clientId);
    return consumer;
  }

  async #pump(
    consumer: RdKafka.KafkaConsumer,
    onBatch: (batch: RecordBatch) => Promise<void>,
    storeOffsets: boolean,
  ): Promise<void> {
    let eofs: RdKafka.EofEvent[] = [];
    // consume() emits a call's end-of-partition events before it hands over the call's messages.
    consumer.on('partition.eof', (eof) => eofs.push(eof));
    const size = this.#options.consumeBatchSize ?? 1_000;
    while (!this.#closed) {
      let messages: RdKafka.Message[];
      try {
        messages = await viaCallback('consume', this.#options.clientId, (done) =>
          consumer.consume(size, done),
        );
      } catch (error) {
        if (this.#closed) return;
        this.#options.logger?.warn({ err: error }, 'consume failed; retrying');
        await delay(RETRY_MS);
        continue;
      }
      const ends = eofs;
      eofs = [];
      const batches: RecordBatch[] = byPartition(messages).map(({ topic, partition, messages: group }) => ({
        topic,
        partition,
        records: group.map(consumedRecord),
        nextOffset: BigInt(group[group.length - 1]!.offset) + 1n,
      }));
      for (const { topic, partition, offset } of ends)
        batches.push({ topic, partition, records: [], nextOffset: BigInt(offset) });
      // A failed partition is read again from its batch; the others' batches go on.
      const failed = new Set<string>();
      for (const batch of batches) {
        if (this.#closed) return;
        const key = `${batch.topic}:${batch.partition}`;
        if (failed.has(key)) continue;
        if (!(await this.#handle(consumer, batch, onBatch))) {
          failed.add(key);
          continue;
        }
        if (storeOffsets && batch.records.length > 0)
          consumer.offsetsStore([
            { topic: batch.topic, partition: batch.partition, offset: Number(batch.nextOffset) },
          ]);
      }
    }
  }

  /** Runs the handler; on failure seeks the partition back to the batch so it is read again. */
  async #handle(
    consumer: RdKafka.KafkaConsumer,
    batch: RecordBatch,
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<boolean> {
    try {
      await onBatch(batch);
      return true;
    } catch (error) {
      const first = batch.records[0];
      this.#options.logger?.warn(
        { err: error, topic: batch.topic, partition: batch.partition, offset: first?.offset },
        'record batch handler failed; reading the batch again',
      );
      await delay(RETRY_MS);
      if (first !== undefined) {
        const target = { topic: batch.topic, partition: batch.partition, offset: Number(first.offset) };
        await viaCallback('seek', batch.topic, (done) => consumer.seek(target, TIMEOUT_MS, done)).catch(
          (seekError: unknown) => this.#options.logger?.warn({ err: seekError }, 'seek failed'),
        );
      }
      return false;
    }
  }

  async #partitions(consumer: RdKafka.KafkaConsumer, topic: string): Promise<number[]> {
    const metadata = await viaCallback<RdKafka.Metadata>('fetch metadata', topic, (done) =>
      consumer.getMetadata({ topic, timeout: TIMEOUT_MS }, done),
    );
    return (metadata.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => p.id);
  }

  #metadataConsumer(): Promise<RdKafka.KafkaConsumer> {
    if (this.#metadata === undefined) {
      const consumer = new (nativeKafka().KafkaConsumer)({
        ...baseConfig(this.#options.brokers, `${this.#options.clientId}-metadata`),
        'group.id': `${this.#options.clientId}-metadata`,
      });
      const connecting = connectNative(consumer, this.#options.clientId).then(() => consumer);
      this.#metadata = connecting;
      connecting.catch(() => {
        if (this.#metadata === connecting) this.#metadata = undefined;
      });
    }
    return this.#metadata;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
