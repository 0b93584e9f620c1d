/**
 * librdkafka (native API) transport figures for bench:e2e, with no engine and no decoding: how
 * fast the native client alone consumes the input, and how fast a bare transactional
 * consume → produce → sendOffsetsToTransaction loop goes (the transport bound of a native
 * calculator).
 */
import { nativeKafka } from '@indexflow/kafka';
import type { Message } from 'kafkajs';

type Native = ReturnType<typeof nativeKafka>;
type Consumer = InstanceType<Native['KafkaConsumer']>;
type Producer = InstanceType<Native['Producer']>;

function call<T = void>(run: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))));
}

async function groupConsumer(brokers: string, groupId: string, topics: readonly string[]): Promise<Consumer> {
  const consumer = new (nativeKafka().KafkaConsumer)(
    {
      'metadata.broker.list': brokers,
      'group.id': groupId,
      'enable.auto.commit': false,
      'isolation.level': 'read_committed',
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await call((done) => consumer.connect({}, (err) => done(err)));
  consumer.setDefaultConsumeTimeout(100);
  consumer.subscribe([...topics]);
  return consumer;
}

/** Records/s of consume(n) over `records` input records, from the first record received. */
export async function nativeRawConsume(
  brokers: string,
  groupId: string,
  topics: readonly string[],
  records: number,
) {
  const consumer = await groupConsumer(brokers, groupId, topics);
  let consumed = 0;
  let first = 0;
  while (consumed < records) {
    const messages = await call<{ length: number }>((done) => consumer.consume(10_000, done));
    if (messages.length > 0 && first === 0) first = Date.now();
    consumed += messages.length;
  }
  const rate = records / ((Date.now() - first) / 1000);
  await call((done) => consumer.disconnect((err) => done(err)));
  return rate;
}

/**
 * Input records/s of a bare transactional loop: per batch of `batchRecords` consumed records,
 * one transaction producing `levelsPerRecord` sample messages per record plus the input offsets.
 */
export async function nativeConsumeProduceLoop(options: {
  readonly brokers: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly records: number;
  readonly outputTopic: string;
  readonly samples: readonly Message[];
  readonly levelsPerRecord: number;
  readonly batchRecords: number;
}) {
  const consumer = await groupConsumer(options.brokers, options.groupId, options.topics);
  const producer: Producer = new (nativeKafka().Producer)({
    'metadata.broker.list': options.brokers,
    'transactional.id': `${options.groupId}-tx`,
    partitioner: 'murmur2_random',
    'queue.buffering.max.messages': 1_000_000,
    dr_cb: false,
  });
  await call((done) => producer.connect({}, (err) => done(err)));
  await call((done) => producer.initTransactions(30_000, done));
  let consumed = 0;
  let produced = 0;
  let first = 0;
  let owed = 0;
  while (consumed < options.records) {
    const messages = await call<{ topic: string; partition: number; offset: number }[]>((done) =>
      consumer.consume(options.batchRecords, done),
    );
    if (messages.length === 0) continue;
    if (first === 0) first = Date.now();
    consumed += messages.length;
    await call((done) => producer.beginTransaction(done));
    owed += messages.length * options.levelsPerRecord;
    for (; owed >= 1; owed--, produced++) {
      const sample = options.samples[produced % options.samples.length]!;
      producer.produce(options.outputTopic, null, sample.value as Buffer, sample.key as Buffer, null);
    }
    const next = new Map<string, { topic: string; partition: number; offset: number }>();
    for (const m of messages)
      next.set(`${m.topic}:${m.partition}`, { topic: m.topic, partition: m.partition, offset: m.offset + 1 });
    await call((done) => producer.sendOffsetsToTransaction([...next.values()], consumer, 30_000, done));
    await call((done) => producer.commitTransaction(30_000, done));
  }
  const rate = consumed / ((Date.now() - first) / 1000);
  await call((done) => producer.disconnect((err) => done(err)));
  await call((done) => consumer.disconnect((err) => done(err)));
  return { recordsPerSecond: rate, messagesProduced: produced };
}
