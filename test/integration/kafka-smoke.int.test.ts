// Proves that kafkajs 2.2.4 works against the broker the integration project runs on: topics,
// consumer groups, and transactions (commit, abort, read_committed, offsets in a transaction).
import { uniqueName, waitFor } from '@indexflow/testkit';
import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const kafka = new Kafka({
  clientId: 'kafka-smoke',
  brokers: inject('kafkaBrokers').split(','),
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3_000,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
});

const openClients: { disconnect: () => Promise<void> }[] = [];
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  openClients.push(admin);
});

afterAll(async () => {
  await Promise.allSettled(openClients.reverse().map((client) => client.disconnect()));
});

async function createTopic(prefix: string, numPartitions = 1): Promise<string> {
  const topic = uniqueName(prefix);
  const created = await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  expect(created).toBe(true);
  return topic;
}

async function connectedProducer(config: Parameters<Kafka['producer']>[0] = {}): Promise<Producer> {
  const producer = kafka.producer(config);
  await producer.connect();
  openClients.push(producer);
  return producer;
}

interface ConsumedRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

/** Starts a consumer in `groupId` on `topic` from the beginning and collects what it receives. */
async function collectingConsumer(
  topic: string,
  groupId: string,
  options: { readUncommitted?: boolean; autoCommit?: boolean } = {},
): Promise<{ consumer: Consumer; records: ConsumedRecord[] }> {
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
  });
  await consumer.connect();
  openClients.push(consumer);
  await consumer.subscribe({ topic, fromBeginning: true });
  const records: ConsumedRecord[] = [];
  await consumer.run({
    autoCommit: options.autoCommit ?? true,
    eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
      records.push({
        partition,
        offset: message.offset,
        key: message.key?.toString(),
        value: message.value?.toString(),
      });
    },
  });
  return { consumer, records };
}

async function groupOffset(groupId: string, topic: string, partition = 0): Promise<string | undefined> {
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets[0]?.partitions.find((p) => p.partition === partition)?.offset;
}

describe('kafka (kafkajs 2.2.4)', () => {
  it('creates a topic, produces, and consumes it with a consumer group that commits its offset', async () => {
    const topic = await createTopic('smoke-plain', 2);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(2);

    const producer = await connectedProducer();
    await producer.send({
      topic,
      messages: ['a', 'b', 'c'].map((value) => ({ key: 'same-key', value })),
    });

    const groupId = uniqueName('smoke-group');
    const { consumer, records } = await collectingConsumer(topic, groupId);
    await waitFor(() => records.length >= 3, { timeoutMs: 30_000, description: 'three records consumed' });
    // One key, one partition: the order of sending is kept.
    expect(records.map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);

    const partition = records[0]?.partition ?? 0;
    await consumer.stop();
    await waitFor(async () => (await groupOffset(groupId, topic, partition)) === '3', {
      timeoutMs: 10_000,
      description: 'the group offset committed at 3',
    });
  });

  it('shows a read_committed consumer only the records of committed transactions', async () => {
    const topic = await createTopic('smoke-tx');
    const producer = await connectedProducer({
      transactionalId: uniqueName('smoke-tx-producer'),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
    });

    const first = await producer.transaction();
    await first.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await first.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();

    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: 'committed-3' }] });
    await last.commit();

    const committedReader = await collectingConsumer(topic, uniqueName('smoke-read-committed'));
    const uncommittedReader = await collectingConsumer(topic, uniqueName('smoke-read-uncommitted'), {
      readUncommitted: true,
    });
    await waitFor(() => committedReader.records.some((r) => r.value === 'committed-3'), {
      timeoutMs: 30_000,
      description: 'the last committed record read with read_committed',
    });
    await waitFor(() => uncommittedReader.records.some((r) => r.value === 'committed-3'), {
      timeoutMs: 30_000,
      description: 'the last committed record read with read_uncommitted',
    });

    // The aborted records precede 'committed-3' in the log, so read_committed has skipped them.
    expect(committedReader.records.map((r) => r.value)).toEqual([
      'committed-1',
      'committed-2',
      'committed-3',
    ]);
    // read_uncommitted proves the aborted records really were written.
    expect(uncommittedReader.records.map((r) => r.value)).toEqual([
      'committed-1',
      'committed-2',
      'aborted-1',
      'aborted-2',
      'committed-3',
    ]);
  });

  it('commits consumer group offsets sent inside a transaction, and drops them on abort', async () => {
    const input = await createTopic('smoke-eos-in');
    const output = await createTopic('smoke-eos-out');
    const plain = await connectedProducer();
    await plain.send({ topic: input, messages: [{ value: 'in-0' }, { value: 'in-1' }, { value: 'in-2' }] });

    const groupId = uniqueName('smoke-eos-group');
    const producer = await connectedProducer({
      transactionalId: uniqueName('smoke-eos-producer'),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
    });

    // Consume-transform-produce for in-0 and in-1: outputs and the next input offset commit together.
    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ value: 'out-0' }, { value: 'out-1' }] });
    await committed.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '2' }] }],
    });
    await committed.commit();
    // The coordinator writes the commit markers after EndTxn returns; until then the offset is pending.
    await waitFor(async () => (await groupOffset(groupId, input)) === '2', {
      timeoutMs: 10_000,
      description: 'the transactional group offset committed at 2',
    });

    // The same for in-2, but aborted: neither the output nor the offset may become visible.
    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'out-2' }] });
    await aborted.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }],
    });
    await aborted.abort();
    expect(await groupOffset(groupId, input)).toBe('2');

    // A consumer of the group resumes after the offset the committed transaction stored.
    const resumed = await collectingConsumer(input, groupId, { autoCommit: false });
    await waitFor(() => resumed.records.length >= 1, { timeoutMs: 30_000, description: 'the group resumed' });
    expect(resumed.records.map((r) => r.value)).toEqual(['in-2']);

    const outputReader = await collectingConsumer(output, uniqueName('smoke-eos-reader'));
    await waitFor(() => outputReader.records.length >= 2, { timeoutMs: 30_000, description: 'outputs read' });
    expect(outputReader.records.map((r) => r.value)).toEqual(['out-0', 'out-1']);
  });
});
