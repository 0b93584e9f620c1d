// The contract both Kafka clients (KAFKA_CLIENT=kafkajs|native) must keep, on the real broker:
// the source reads only committed input and releases each partition in offset order, the sink's
// aborted transactions stay invisible to read_committed readers, the calculator publishes
// every level exactly once across a SIGKILL, and the plain record producer and reader (replay
// --kafka, subscribe, the gateway, the close history) key, order, time-seek and commit alike.
import { Dec, type IndexLevel } from '@indexflow/index-engine';
import {
  type ConsumedRecord,
  createAvroSerdes,
  createKafkaClient,
  createRecordReader,
  createSchemaRegistryClient,
  ensureTopics,
  fetchPartitionCounts,
  type IndexLevelFields,
  joinAssignmentGroup,
  KafkajsTopicAdmin,
  LevelTransactionError,
  loadSchemaFile,
  type MarketTickRecord,
  openRecordProducer,
  openTopicAdmin,
  type RecordReader,
  readWatermark,
  registerSchema,
  type StructuredLogger,
  valueSubject,
  watermarkHeaders,
} from '@indexflow/kafka';
import type { EventBatch, EventSource, SourcedEvent } from '@indexflow/pipeline';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { type Admin, type KafkaMessage, Partitioners } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
  produce,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { clientAdapters, KAFKA_CLIENTS, type KafkaClientName } from './support/client-adapters.js';
import { expectGapFree, readLevels, waitForLevels } from './support/level-reader.js';

const brokers = inject('kafkaBrokers').split(',');
const registry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 });
const kafka = createKafkaClient({ brokers, clientId: uniqueName('contract') });
const silent: StructuredLogger = { debug() {}, info() {}, warn() {}, error() {} };
const start = trackedCalculators();

function tick(partition: number, sequence: number): MarketTickRecord {
  return {
    symbol: `60051${partition}.SH`,
    market: 'SH',
    currency: 'CNY',
    eventTime: Date.UTC(2026, 10, 27, 1, 30) + sequence,
    sequence,
    lastPrice: `${100 + sequence}.50`,
    volume: '100',
    turnover: '10050',
    bidPrice: null,
    askPrice: null,
    tradingPhase: 'CONTINUOUS',
  };
}

function level(indexId: string, sequence: number): IndexLevel {
  const fields: IndexLevelFields = {
    indexId,
    eventTime: Date.UTC(2026, 10, 27, 1, 30) + sequence,
    sequence,
    level: new Dec('1008.6292988784'),
    divisor: new Dec('123456.789'),
    marketValue: new Dec('124523456.7'),
    trigger: 'tick',
    symbol: '600519.SH',
    prevClose: new Dec('1000'),
    open: new Dec('1001'),
    high: new Dec('1010'),
    low: new Dec('999.5'),
    fxObservationId: null,
    fxStale: false,
    totalReturnLevel: null,
    netTotalReturnLevel: null,
    contributions: null,
  };
  return fields as unknown as IndexLevel;
}

let admin: Admin;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});
afterAll(async () => {
  await admin?.disconnect();
});

async function topic(prefix: string, partitions: number, schema: 'market-tick' | 'index-level' | null) {
  const name = uniqueName(prefix);
  await ensureTopics(KafkajsTopicAdmin.over(admin), [{ name, partitions, cleanupPolicy: 'delete' }]);
  if (schema !== null) await registerSchema(registry, valueSubject(name), await loadSchemaFile(schema));
  return name;
}

/** Sends ticks in transactions; `abort` lists the transactions (by index) to abort. */
async function produceInTransactions(name: string, transactions: MarketTickRecord[][], abort: number[]) {
  const serdes = createAvroSerdes<MarketTickRecord>(registry, name);
  const producer = kafka.producer({
    transactionalId: uniqueName('contract-input'),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    for (const [index, ticks] of transactions.entries()) {
      const tx = await producer.transaction();
      const messages = await Promise.all(
        ticks.map(async (t) => ({
          key: t.symbol,
          partition: Number(t.symbol[5]),
          value: await serdes.serialize(t),
        })),
      );
      await tx.send({ topic: name, messages });
      await (abort.includes(index) ? tx.abort() : tx.commit());
    }
  } finally {
    await producer.disconnect();
  }
}

async function drain(source: EventSource, until: (events: SourcedEvent[], batch: EventBatch) => boolean) {
  const events: SourcedEvent[] = [];
  let last: EventBatch | undefined;
  await waitFor(
    async () => {
      last = await source.nextBatch(100, 250);
      events.push(...last.events);
      return until(events, last);
    },
    { timeoutMs: 30_000, intervalMs: 0, description: 'the source released the expected records' },
  );
  return { events, last: last! };
}

async function readAll(name: string, readUncommitted: boolean, until: (m: KafkaMessage[]) => boolean) {
  const consumer = kafka.consumer({ groupId: uniqueName('contract-reader'), readUncommitted });
  closers.push(() => consumer.disconnect());
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: name, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await waitFor(() => until(messages), { timeoutMs: 20_000, description: `messages read from ${name}` });
  return messages;
}

describe.each(KAFKA_CLIENTS)('Kafka client contract: %s', (client: KafkaClientName) => {
  function adapters(
    inputTopic: string,
    outputs: { levels: string; deadLetters: string },
    ordering?: 'arrival',
  ) {
    const made = clientAdapters(
      client,
      {
        kafka,
        brokers,
        registry,
        groupId: uniqueName('contract-group'),
        inputTopic,
        logger: silent,
        ...(ordering ? { ordering } : {}),
      },
      {
        levelsTopic: outputs.levels,
        deadLetterTopic: outputs.deadLetters,
        transactionalId: uniqueName('contract-tx'),
      },
    );
    closers.push(
      () => made.source.close(),
      () => made.sink.close(),
    );
    return made;
  }

  it('reads only committed input, and its offsets pass the aborted records and the markers', async () => {
    const ticks = await topic('contract-ticks', 1, 'market-tick');
    const outputs = {
      levels: await topic('contract-levels', 1, 'index-level'),
      deadLetters: await topic('contract-dl', 1, null),
    };
    await produceInTransactions(ticks, [[tick(0, 1), tick(0, 2)], [tick(0, 3)], [tick(0, 4)]], [1]);
    const { source } = adapters(ticks, outputs);
    await source.start(null);
    // 3 committed records + 1 aborted + 3 markers: the partition ends at offset 7.
    const { events } = await drain(source, (_, batch) => batch.nextOffsets[`${ticks}:0`] === '7');
    expect(events.map((e) => e.offset)).toEqual(['0', '1', '5']);
  });

  it('releases every partition in offset order, each record once', async () => {
    const ticks = await topic('contract-order', 3, 'market-tick');
    const outputs = {
      levels: await topic('contract-levels', 1, 'index-level'),
      deadLetters: await topic('contract-dl', 1, null),
    };
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 30 }, (_, i) => tick(i % 3, b * 30 + i + 1)),
    );
    await produceInTransactions(ticks, batches, []);
    const { source } = adapters(ticks, outputs, 'arrival');
    await source.start(null);
    const { events } = await drain(source, (released) => released.length >= 300);
    expect(events).toHaveLength(300);
    for (const partition of [0, 1, 2]) {
      const offsets = events.filter((e) => e.partition === partition).map((e) => BigInt(e.offset));
      expect(offsets.length).toBe(100);
      for (let i = 1; i < offsets.length; i++)
        expect(offsets[i]! > offsets[i - 1]!, `partition ${partition}`).toBe(true);
    }
  });

  it('keeps an aborted transaction invisible to read_committed readers and its offsets uncommitted', async () => {
    const ticks = await topic('contract-sink-ticks', 1, 'market-tick');
    const outputs = {
      levels: await topic('contract-levels', 1, 'index-level'),
      deadLetters: await topic('contract-dl', 1, null),
    };
    await produceInTransactions(ticks, [[tick(0, 1), tick(0, 2)]], []);
    const { source, sink } = adapters(ticks, outputs);
    expect(await sink.committedOffsets()).toBeNull();
    await source.start(null);
    const staged = Promise.reject(new Error('stage refused'));
    staged.catch(() => {});
    const failed = await sink
      .commit(
        { levels: [level('995301', 1)], conflated: [], rejected: [], offsets: { [`${ticks}:0`]: '1' } },
        staged,
      )
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(LevelTransactionError);
    expect(await sink.committedOffsets()).toBeNull();
    const offsets = { [`${ticks}:0`]: '3' };
    await sink.commit(
      { levels: [level('995302', 1)], conflated: [], rejected: [], offsets },
      Promise.resolve(),
    );
    expect(await sink.committedOffsets()).toEqual(offsets);
    const committed = await readAll(outputs.levels, false, (m) =>
      m.some((x) => x.key?.toString() === '995302'),
    );
    // Only the committed level: had the sink committed despite the failed stage, 995301 would be
    // here. (Whether the aborted level reached the log at all differs: librdkafka's abort purges
    // records it has not sent yet, so a read_uncommitted reader may or may not see it.)
    expect(committed.map((m) => m.key?.toString())).toEqual(['995302']);
  });

  it('keeps the passed watermark with the committed offsets, readable by the other client too', async () => {
    const ticks = await topic('contract-wm-ticks', 2, 'market-tick');
    const outputs = {
      levels: await topic('contract-levels', 1, 'index-level'),
      deadLetters: await topic('contract-dl', 1, null),
    };
    const groupId = uniqueName('contract-group');
    const made = (name: KafkaClientName) => {
      const pair = clientAdapters(
        name,
        { kafka, brokers, registry, groupId, inputTopic: ticks, logger: silent },
        {
          levelsTopic: outputs.levels,
          deadLetterTopic: outputs.deadLetters,
          transactionalId: uniqueName('contract-tx'),
        },
      );
      closers.push(
        () => pair.source.close(),
        () => pair.sink.close(),
      );
      return pair;
    };
    const writer = made(client);
    await writer.source.start(null);
    const passedWatermark = Date.UTC(2025, 2, 20, 7, 0, 5);
    const offsets = { [`${ticks}:0`]: '0', [`${ticks}:1`]: '0' };
    await writer.sink.commit(
      { levels: [], conflated: [], rejected: [], offsets, passedWatermark },
      Promise.resolve(),
    );
    expect(await writer.sink.committedOffsets()).toEqual(offsets);
    expect(await writer.sink.committedWatermark?.()).toBe(passedWatermark);
    // What a rebuild under the other client reads (a deployment may switch KAFKA_CLIENT).
    const other = made(client === 'kafkajs' ? 'native' : 'kafkajs');
    expect(await other.sink.committedOffsets()).toEqual(offsets);
    expect(await other.sink.committedWatermark?.()).toBe(passedWatermark);
    // A transaction without one leaves none: nothing is assumed of offsets committed without it.
    await writer.sink.commit({ levels: [], conflated: [], rejected: [], offsets }, Promise.resolve());
    expect(await writer.sink.committedOffsets()).toEqual(offsets);
    expect(await writer.sink.committedWatermark?.()).toBeNull();
  });

  function recordClients() {
    const options = { client, brokers, clientId: uniqueName('contract-records') };
    const reader = createRecordReader(options);
    closers.push(() => reader.close());
    return { options, reader };
  }

  /** Every record of `name` from its start, read by this client's reader until `until` holds. */
  async function readRecords(reader: RecordReader, name: string, until: (r: ConsumedRecord[]) => boolean) {
    const read: ConsumedRecord[] = [];
    const starts = (await reader.partitionOffsets(name)).map(({ partition, low }) => ({
      topic: name,
      partition,
      offset: low,
    }));
    await reader.readFrom(starts, async (batch) => void read.push(...batch.records));
    await waitFor(() => until(read), { timeoutMs: 20_000, description: `records read from ${name}` });
    return read;
  }

  it('a record producer keys as Java and kafkajs do, keeps per-key order, and sends headers to an explicit partition', async () => {
    const name = await topic('contract-records', 3, null);
    const { options, reader } = recordClients();
    const producer = await openRecordProducer(options);
    closers.push(() => producer.close());
    const keyed = (key: string, n: number) => ({ topic: name, key, value: Buffer.from(`${key}-${n}`) });
    await producer.send([keyed('600519.SH', 1), keyed('0700.HK', 1), keyed('600519.SH', 2)]);
    await producer.send([
      ...[0, 1, 2].map((partition) => ({
        topic: name,
        partition,
        key: null,
        value: null,
        headers: watermarkHeaders({ time: Date.UTC(2026, 0, 5), final: true }),
      })),
      keyed('600519.SH', 3),
    ]);
    const read = await readRecords(reader, name, (r) => r.length >= 7);
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    for (const key of ['600519.SH', '0700.HK']) {
      const ofKey = read.filter((r) => r.key?.toString() === key);
      const expected = partitioner({ topic: name, partitionMetadata, message: { key, value: null } });
      expect(new Set(ofKey.map((r) => r.partition)), key).toEqual(new Set([expected]));
      expect(ofKey.map((r) => r.value?.toString())).toEqual(
        key === '0700.HK' ? ['0700.HK-1'] : ['600519.SH-1', '600519.SH-2', '600519.SH-3'],
      );
    }
    const marks = read.filter((r) => r.value === null);
    expect(marks.map((r) => r.partition).sort()).toEqual([0, 1, 2]);
    for (const mark of marks)
      expect(readWatermark(mark.headers)).toEqual({
        kind: 'watermark',
        watermark: { time: Date.UTC(2026, 0, 5), final: true },
      });
  });

  it('a reader starts at the first record stamped at or after a time, and reaches the end past the markers', async () => {
    const name = await topic('contract-times', 1, null);
    // Record times after now: the commit markers are stamped with the broker's clock, so with
    // earlier record times the first offset at or after `at` would be a marker's.
    const at = Date.now() + 3_600_000;
    const producer = kafka.producer({ transactionalId: uniqueName('contract-times'), idempotent: true });
    await producer.connect();
    closers.push(() => producer.disconnect());
    for (const [n, timestamp] of [
      [1, at - 5_000],
      [2, at - 1],
      [3, at],
      [4, at + 5_000],
    ] as const) {
      const tx = await producer.transaction();
      await tx.send({ topic: name, messages: [{ key: 'k', value: `v${n}`, timestamp: String(timestamp) }] });
      await tx.commit();
    }
    const { reader } = recordClients();
    // 4 records and 4 commit markers. A commit returns once the coordinator has decided it; the
    // last marker reaches the partition a moment later (seen under load), so wait for it.
    await waitFor(async () => (await reader.partitionOffsets(name))[0]?.high === 8n, { timeoutMs: 10_000 });
    expect(await reader.partitionOffsets(name)).toEqual([{ partition: 0, low: 0n, high: 8n }]);
    expect(await reader.offsetsForTime(name, at + 60_000)).toEqual([{ partition: 0, offset: 8n }]);
    const starts = await reader.offsetsForTime(name, at);
    expect(starts).toEqual([{ partition: 0, offset: 4n }]);
    const values: string[] = [];
    let position = 0n;
    await reader.readFrom(
      starts.map(({ partition, offset }) => ({ topic: name, partition, offset })),
      async (batch) => {
        values.push(...batch.records.map((r) => r.value!.toString()));
        position = batch.nextOffset;
      },
    );
    await waitFor(() => position >= 8n, { timeoutMs: 20_000, description: 'the reader reached offset 8' });
    expect(values).toEqual(['v3', 'v4']);
  });

  it('an admin creates topics once (concurrently too), with their partitions and cleanup policy, and reads offsets and group positions', async () => {
    const topicAdmin = await openTopicAdmin({ client, brokers, clientId: uniqueName('contract-admin') });
    closers.push(() => topicAdmin.close());
    const compacted = uniqueName('contract-admin-compact');
    const plain = uniqueName('contract-admin-plain');
    const specs = [
      { name: compacted, partitions: 3, cleanupPolicy: 'compact' as const },
      { name: plain, partitions: 2, cleanupPolicy: 'delete' as const },
    ];
    // Two set-ups racing (two services starting at once): both succeed, the topics exist once.
    const [first, second] = await Promise.all([
      ensureTopics(topicAdmin, specs),
      ensureTopics(topicAdmin, specs),
    ]);
    // Each reports what it found missing; between them, both topics.
    expect(new Set([...first, ...second])).toEqual(new Set([compacted, plain]));
    expect(await ensureTopics(topicAdmin, specs)).toEqual([]);
    expect(await topicAdmin.listTopics()).toEqual(expect.arrayContaining([compacted, plain]));
    expect(Object.fromEntries(await fetchPartitionCounts(topicAdmin, [compacted, plain]))).toEqual({
      [compacted]: 3,
      [plain]: 2,
    });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: compacted, configNames: ['cleanup.policy'] }],
    });
    expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('compact');

    // Offsets: 3 records on partition 1 of the plain topic, stamped an hour ahead (after the
    // broker's clock, so no earlier record is stamped after them).
    const at = Date.now() + 3_600_000;
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    closers.push(() => producer.disconnect());
    await producer.send({
      topic: plain,
      messages: [at - 10, at, at + 10].map((t, n) => ({
        partition: 1,
        value: `v${n}`,
        timestamp: String(t),
      })),
    });
    expect(await topicAdmin.partitionOffsets(plain)).toEqual([
      { partition: 0, low: 0n, high: 0n },
      { partition: 1, low: 0n, high: 3n },
    ]);
    expect(await topicAdmin.offsetsForTime(plain, at)).toEqual([
      { partition: 0, offset: 0n },
      { partition: 1, offset: 1n },
    ]);
    expect((await topicAdmin.offsetsForTime(plain, at + 60_000))[1]).toEqual({ partition: 1, offset: 3n });
    const groupId = uniqueName('contract-admin-group');
    await admin.setOffsets({ groupId, topic: plain, partitions: [{ partition: 1, offset: '2' }] });
    const committed = await topicAdmin.committedOffsets(groupId, [plain]);
    expect(committed.find((p) => p.partition === 1)).toEqual({ topic: plain, partition: 1, offset: 2n });
    expect(committed.find((p) => p.partition === 0)?.offset ?? -1n).toBe(-1n);
  });

  it("an assignment group divides the partitions among its members, hands a leaver's to the rest, and the admin counts members", async () => {
    const name = await topic('contract-assign', 4, null);
    const topicAdmin = await openTopicAdmin({ client, brokers, clientId: uniqueName('contract-admin') });
    closers.push(() => topicAdmin.close());
    const groupId = uniqueName('contract-assign-group');
    expect(await topicAdmin.groupMemberCount(groupId)).toBe(0);
    const assigned: (readonly number[])[] = [[], []];
    const failures: unknown[] = [];
    const join = (member: 0 | 1) =>
      joinAssignmentGroup({
        client,
        brokers,
        clientId: uniqueName('contract-assign'),
        groupId,
        topic: name,
        sessionTimeoutMs: 6_000,
        onAssigned: (partitions) => {
          assigned[member] = [...partitions].sort();
        },
        onFailed: (error) => failures.push(error),
      });
    const first = await join(0);
    const second = await join(1);
    closers.push(
      () => first.leave(),
      () => second.leave(),
    );
    await waitFor(() => assigned[0]!.length === 2 && assigned[1]!.length === 2, {
      timeoutMs: 60_000,
      description: 'two partitions each',
    });
    expect([...assigned[0]!, ...assigned[1]!].sort()).toEqual([0, 1, 2, 3]);
    expect(await topicAdmin.groupMemberCount(groupId)).toBe(2);
    await second.leave();
    await waitFor(() => assigned[0]!.length === 4, {
      timeoutMs: 30_000,
      description: 'the member that stayed owns every partition',
    });
    expect(assigned[0]).toEqual([0, 1, 2, 3]);
    await waitFor(async () => (await topicAdmin.groupMemberCount(groupId)) === 1, {
      timeoutMs: 30_000,
      description: 'one member left in the group',
    });
    await first.leave();
    await waitFor(async () => (await topicAdmin.groupMemberCount(groupId)) === 0, {
      timeoutMs: 30_000,
      description: 'the group empty',
    });
    expect(failures).toEqual([]);
  });

  it('a group reader reads a failed batch again and resumes after what it handled', async () => {
    const name = await topic('contract-group', 1, null);
    const producer = kafka.producer();
    await producer.connect();
    closers.push(() => producer.disconnect());
    const send = (values: string[]) =>
      producer.send({ topic: name, messages: values.map((value) => ({ key: 'k', value })) });
    await send(['a', 'b']);
    const groupId = uniqueName('contract-group');
    const first = recordClients().reader;
    const handled: string[] = [];
    let failures = 0;
    await first.readInGroup({ groupId, topics: [name], fromBeginning: true }, async (batch) => {
      if (batch.records.length > 0 && failures++ === 0) throw new Error('handler failed once');
      handled.push(...batch.records.map((r) => r.value!.toString()));
    });
    await waitFor(() => handled.length >= 2, { timeoutMs: 30_000, description: 'the group read a and b' });
    await first.close();
    expect(handled).toEqual(['a', 'b']);
    await send(['c']);
    const second = recordClients().reader;
    const later: string[] = [];
    await second.readInGroup({ groupId, topics: [name], fromBeginning: true }, async (batch) => {
      later.push(...batch.records.map((r) => r.value!.toString()));
    });
    await waitFor(() => later.length >= 1, { timeoutMs: 30_000, description: 'the group read c' });
    expect(later).toEqual(['c']);
  });

  it('publishes every level exactly once, in order per index, across a SIGKILL of the calculator', async () => {
    const datasetDir = makeDataset('simulated-day');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
    await produce(environment, datasetDir);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const env = { ...environment.env, KAFKA_CLIENT: client };
    let calculator = start(env);
    await waitForLevels(
      reader,
      Math.floor(expected.length * (0.2 + Math.random() * 0.3)),
      calculator,
      180_000,
    );
    calculator.child.kill('SIGKILL');
    await calculator.exited;
    calculator = start(env);
    await waitForLevels(reader, expected.length, calculator, 240_000);
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await reader.stop();
    const rows = reader.records.map(recordAsRow);
    expectGapFree(rows);
    expect(sortRows(rows)).toEqual(expected);
  }, 600_000);
});
