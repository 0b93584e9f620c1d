import type { Consumer, Kafka } from 'kafkajs';

export interface PartitionRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface PartitionConsumer {
  stop(): Promise<void>;
}

/**
 * Consumes partition 0 of a single-partition topic from `startOffset` (null: the earliest): the
 * service's own state says where it stopped, so the consumer seeks there on every group join.
 * Offsets are never committed: the actions register's state in Redis holds its position.
 */
export async function startPartitionConsumer(options: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  startOffset: string | null;
  onBatch: (records: PartitionRecord[]) => Promise<void>;
  onCrash: (error: unknown) => void;
}): Promise<PartitionConsumer> {
  // A group of its own per process start: the position comes from the service's state, never from
  // the group, and a fresh group need not wait out a killed predecessor's session before joining.
  const consumer: Consumer = options.kafka.consumer({
    groupId: `${options.groupId}.${process.pid}.${Date.now()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
  });
  let position = options.startOffset;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (position !== null) consumer.seek({ topic: options.topic, partition: 0, offset: position });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) options.onCrash(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const records = batch.messages.map((m) => ({ offset: m.offset, key: m.key, value: m.value }));
      if (records.length === 0) return;
      await options.onBatch(records);
      position = (BigInt(records.at(-1)!.offset) + 1n).toString();
    },
  });
  return { stop: () => consumer.disconnect() };
}

/**
 * Every record of a topic up to its end at call time (read_committed), for reconciling state with
 * what was published. Ends when each partition reached the high watermark it had at the start.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<PartitionRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const records: PartitionRecord[] = [];
  if (ends.size === 0) return records;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
  });
  const reached = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    // Transaction markers take offsets but are never delivered: fall back to a quiet period, but
    // only counted from the group join (a new group may wait out initial.rebalance.delay first).
    let quiet: NodeJS.Timeout | undefined;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      quiet ??= setTimeout(resolve, 5000);
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = ends.get(payload.partition);
      if (end !== undefined && BigInt(payload.highWatermark) >= end && BigInt(payload.offsetLag) === 0n)
        reached.add(payload.partition);
      if (reached.size === ends.size) resolve();
    });
    void (async () => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          clearTimeout(quiet);
          quiet = setTimeout(resolve, 5000);
          const end = ends.get(batch.partition) ?? 0n;
          for (const m of batch.messages) {
            if (BigInt(m.offset) < end) records.push({ offset: m.offset, key: m.key, value: m.value });
          }
          if (BigInt(batch.lastOffset()) + 1n >= end) reached.add(batch.partition);
          if (reached.size === ends.size) resolve();
        },
      });
    })().catch(reject);
  });
  await consumer.disconnect();
  return records;
}
