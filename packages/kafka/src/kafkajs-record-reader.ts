import type { Admin, Batch, Consumer, IHeaders, Kafka } from 'kafkajs';
import { readerGroupId } from './client-group-ids.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';
import type { ConsumedRecord, RecordBatch, RecordHeaders, RecordReader } from './record-ports.js';

function headersOf(headers: IHeaders | undefined): RecordHeaders | undefined {
  if (headers === undefined) return undefined;
  const map: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) map[name] = first;
  }
  return map;
}

function recordBatch(batch: Batch): RecordBatch {
  const records: ConsumedRecord[] = batch.messages.map((message) => ({
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value,
    headers: headersOf(message.headers),
  }));
  // lastOffset() counts transaction markers and aborted records too, so it reaches high − 1.
  return {
    topic: batch.topic,
    partition: batch.partition,
    records,
    nextOffset: BigInt(batch.lastOffset()) + 1n,
  };
}

/**
 * RecordReader on kafkajs. kafkajs has no manual assignment, so readFrom uses a fresh consumer
 * group whose offsets are set before it joins (a group with no members accepts them) and which
 * is deleted on close; it never commits.
 */
export class KafkajsRecordReader implements RecordReader {
  readonly #kafka: Kafka;
  readonly #clientId: string;
  readonly #logger: StructuredLogger | undefined;
  readonly #consumers: Consumer[] = [];
  readonly #freshGroups: string[] = [];
  #admin: Promise<Admin> | undefined;

  constructor(kafka: Kafka, options: { readonly clientId: string; readonly logger?: StructuredLogger }) {
    this.#kafka = kafka;
    this.#clientId = options.clientId;
    this.#logger = options.logger;
  }

  async partitionOffsets(topic: string) {
    const offsets = await (await this.#connectedAdmin()).fetchTopicOffsets(topic);
    return offsets.map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }));
  }

  async offsetsForTime(topic: string, time: number) {
    const offsets = await (await this.#connectedAdmin()).fetchTopicOffsetsByTimestamp(topic, time);
    return offsets.map(({ partition, offset }) => ({ partition, offset: BigInt(offset) }));
  }

  async readFrom(
    starts: readonly { topic: string; partition: number; offset: bigint }[],
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<void> {
    const groupId = readerGroupId(this.#clientId);
    const admin = await this.#connectedAdmin();
    const topics = [...new Set(starts.map((start) => start.topic))];
    for (const topic of topics) {
      const partitions = starts
        .filter((start) => start.topic === topic)
        .map(({ partition, offset }) => ({ partition, offset: String(offset) }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
    this.#freshGroups.push(groupId);
    await this.#run(groupId, topics, false, false, onBatch);
  }

  readInGroup(
    options: { groupId: string; topics: readonly string[]; fromBeginning: boolean },
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<void> {
    return this.#run(options.groupId, options.topics, options.fromBeginning, true, onBatch);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#consumers.splice(0).map((consumer) => consumer.disconnect()));
    const admin = await this.#admin?.catch(() => undefined);
    this.#admin = undefined;
    if (admin === undefined) return;
    try {
      if (this.#freshGroups.length > 0) await admin.deleteGroups(this.#freshGroups.splice(0));
    } catch (error) {
      this.#logger?.debug({ err: error }, 'could not delete the reader groups');
    } finally {
      await admin.disconnect();
    }
  }

  async #run(
    groupId: string,
    topics: readonly string[],
    fromBeginning: boolean,
    commit: boolean,
    onBatch: (batch: RecordBatch) => Promise<void>,
  ): Promise<void> {
    const consumer = this.#kafka.consumer({ groupId, readUncommitted: false });
    this.#consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning });
    // A failing handler makes kafkajs restart the consumer at the batch: read again, at least once.
    await consumer.run({
      autoCommit: commit,
      eachBatch: async ({ batch, heartbeat }) => {
        await onBatch(recordBatch(batch));
        await heartbeat();
      },
    });
  }

  #connectedAdmin(): Promise<Admin> {
    if (this.#admin === undefined) {
      const admin = this.#kafka.admin();
      const connecting = admin.connect().then(() => admin);
      this.#admin = connecting;
      connecting.catch(() => {
        if (this.#admin === connecting) this.#admin = undefined;
      });
    }
    return this.#admin;
  }
}
