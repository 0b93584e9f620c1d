// The calculator's Kafka adapters on real Kafka and the real registry: KafkaEventSource merges
// partitions in canonical order, turns undecodable records into rejections and resumes at given
// offsets; KafkaLevelSink publishes levels, dead letters and input offsets in one transaction.
import { createHash } from 'node:crypto';
import { Dec, type IndexLevel } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_LENGTH_HEADER,
  DEAD_LETTER_SHA256_HEADER,
  ensureTopics,
  type IndexLevelFields,
  type IndexLevelRecord,
  KafkaEventSource,
  KafkajsTopicAdmin,
  KafkaLevelSink,
  LevelTransactionError,
  loadSchemaFile,
  type MarketTickRecord,
  registerSchema,
  type SchemaName,
  type StructuredLogger,
  valueSubject,
} from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { type Admin, ConfigResourceTypes, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const registry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 });
const kafka = createKafkaClient({
  brokers: inject('kafkaBrokers').split(','),
  clientId: uniqueName('calculator-io'),
});
const silent: StructuredLogger = { debug() {}, info() {}, warn() {}, error() {} };
const BASE_TIME = Date.UTC(2026, 10, 27, 1, 30, 0, 0);

type Batch = Awaited<ReturnType<KafkaEventSource['nextBatch']>>;
type Sourced = Batch['events'][number];
type Rejected = Batch['undecodable'][number];

function tick(symbol: string, sequence: number, eventTime: number): MarketTickRecord {
  return {
    symbol,
    market: 'SH',
    currency: 'CNY',
    eventTime,
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
    eventTime: BASE_TIME + sequence,
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
  // The engine may make IndexLevel a class; the sink reads only these fields.
  return fields as unknown as IndexLevel;
}

describe('Kafka calculator IO (KafkaEventSource, KafkaLevelSink)', () => {
  let admin: Admin;
  let producer: Producer;
  const createdTopics: string[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterEach(async () => {
    await Promise.allSettled(closers.splice(0).map((close) => close()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    if (createdTopics.length > 0) await admin?.deleteTopics({ topics: createdTopics }).catch(() => undefined);
    await admin?.disconnect();
  });

  async function topicWithSchema(
    prefix: string,
    partitions: number,
    schema: SchemaName | null,
  ): Promise<string> {
    const name = uniqueName(prefix);
    await ensureTopics(KafkajsTopicAdmin.over(admin), [{ name, partitions, cleanupPolicy: 'delete' }]);
    createdTopics.push(name);
    if (schema !== null) await registerSchema(registry, valueSubject(name), await loadSchemaFile(schema));
    return name;
  }

  async function produceTicks(
    topic: string,
    ticks: readonly { partition: number; value: MarketTickRecord | Buffer }[],
  ) {
    const serdes = createAvroSerdes<MarketTickRecord>(registry, topic);
    const messages = [];
    for (const { partition, value } of ticks) {
      messages.push({
        partition,
        key: Buffer.isBuffer(value) ? 'garbage' : value.symbol,
        value: Buffer.isBuffer(value) ? value : await serdes.serialize(value),
      });
    }
    await producer.send({ topic, messages });
  }

  function startSource(
    topic: string,
    options: { from?: Record<string, string> | null; groupId?: string } = {},
  ) {
    const source = new KafkaEventSource({
      kafka,
      registry,
      groupId: options.groupId ?? uniqueName('calculator-io-group'),
      topics: [{ name: topic, schema: 'market-tick' }],
      idleTimeoutMs: 200,
      logger: silent,
    });
    closers.push(() => source.close());
    return source.start(options.from ?? null).then(() => source);
  }

  async function collect(source: KafkaEventSource, records: number) {
    const events: Sourced[] = [];
    const undecodable: Rejected[] = [];
    let nextOffsets: Batch['nextOffsets'] = {};
    await waitFor(
      async () => {
        const batch = await source.nextBatch(100, 250);
        events.push(...batch.events);
        undecodable.push(...batch.undecodable);
        nextOffsets = batch.nextOffsets;
        return events.length + undecodable.length >= records;
      },
      { timeoutMs: 20_000, intervalMs: 0, description: `${records} records released` },
    );
    return { events, undecodable, nextOffsets };
  }

  it('releases ticks of two partitions in compareEvents order, whatever the arrival order', async () => {
    const topic = await topicWithSchema('io-ticks', 2, 'market-tick');
    // Partition 0 has the odd seconds, partition 1 the even ones; partition 0 is written first.
    await produceTicks(
      topic,
      [1, 3, 5, 7].map((s, i) => ({ partition: 0, value: tick('600519.SH', i + 1, BASE_TIME + s * 1000) })),
    );
    await produceTicks(
      topic,
      [2, 4, 6, 8].map((s, i) => ({ partition: 1, value: tick('000001.SZ', i + 1, BASE_TIME + s * 1000) })),
    );

    const source = await startSource(topic);
    const { events, undecodable, nextOffsets } = await collect(source, 8);

    expect(undecodable).toEqual([]);
    expect(events.map((e) => (e.event.eventTime - BASE_TIME) / 1000)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.map((e) => e.partition)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(events[0]?.event).toMatchObject({
      kind: 'tick',
      symbol: '600519.SH',
      price: '101.50',
      sequence: 1,
      position: { source: `${topic}:0`, offset: 0 },
    });
    expect(events[0]?.key?.toString()).toBe('600519.SH');
    expect(nextOffsets).toEqual({ [`${topic}:0`]: '4', [`${topic}:1`]: '4' });
  });

  it('turns garbage bytes and unknown schema ids into undecodable and unknown_schema rejections and keeps consuming', async () => {
    const topic = await topicWithSchema('io-garbage', 1, 'market-tick');
    const unknownSchemaId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]);
    await produceTicks(topic, [
      { partition: 0, value: tick('600519.SH', 1, BASE_TIME) },
      { partition: 0, value: Buffer.from('not avro at all') },
      { partition: 0, value: unknownSchemaId },
      { partition: 0, value: tick('600519.SH', 2, BASE_TIME + 1000) },
    ]);

    const source = await startSource(topic);
    const { events, undecodable, nextOffsets } = await collect(source, 4);

    expect(events.map((e) => e.offset)).toEqual(['0', '3']);
    expect(undecodable.map((r) => [r.offset, r.reason])).toEqual([
      ['1', 'undecodable'],
      ['2', 'unknown_schema'],
    ]);
    expect(undecodable[0]?.value?.toString()).toBe('not avro at all');
    expect(undecodable[0]?.key?.toString()).toBe('garbage');
    expect(undecodable[0]?.detail).toMatch(/could not be decoded/);
    expect(undecodable[1]?.value).toEqual(unknownSchemaId);
    expect(nextOffsets).toEqual({ [`${topic}:0`]: '4' });
  });

  it('resumes exactly at the offsets start(from) is given', async () => {
    const topic = await topicWithSchema('io-resume', 2, 'market-tick');
    await produceTicks(
      topic,
      [0, 1, 2].map((i) => ({ partition: 0, value: tick('600519.SH', i + 1, BASE_TIME + i * 2000) })),
    );
    await produceTicks(
      topic,
      [0, 1, 2].map((i) => ({ partition: 1, value: tick('000001.SZ', i + 1, BASE_TIME + i * 2000 + 1000) })),
    );

    const source = await startSource(topic, { from: { [`${topic}:0`]: '2', [`${topic}:1`]: '1' } });
    const { events, nextOffsets } = await collect(source, 3);

    expect(events.map((e) => `${e.partition}:${e.offset}`)).toEqual(['1:1', '0:2', '1:2']);
    expect(nextOffsets).toEqual({ [`${topic}:0`]: '3', [`${topic}:1`]: '3' });
  });

  it('commits nothing itself; a restart from the offsets the sink committed for its group resumes after them', async () => {
    const topic = await topicWithSchema('io-e2e-ticks', 2, 'market-tick');
    const levels = await topicWithSchema('io-e2e-levels', 1, 'index-level');
    const deadLetters = await topicWithSchema('io-e2e-dead-letter', 1, null);
    await produceTicks(
      topic,
      [0, 1, 2, 3].map((i) => ({ partition: i % 2, value: tick('600519.SH', i + 1, BASE_TIME + i * 1000) })),
    );
    const groupId = uniqueName('io-e2e-group');
    const sink = new KafkaLevelSink({
      kafka,
      registry,
      groupId,
      inputTopics: [topic],
      levelsTopic: levels,
      deadLetterTopic: deadLetters,
      transactionalId: uniqueName('indexflow-calculator-e2e'),
      logger: silent,
    });
    closers.push(() => sink.close());

    const first = await startSource(topic, { groupId });
    const consumed = await collect(first, 4);
    expect(consumed.events.map((e) => e.event.eventTime - BASE_TIME)).toEqual([0, 1000, 2000, 3000]);
    expect(await sink.committedOffsets()).toBeNull();
    // The source's consumer is still a member of the group the transaction commits for.
    await sink.commit({
      levels: [level('995365', 1)],
      conflated: [],
      rejected: [],
      offsets: consumed.nextOffsets,
    });
    await first.close();

    await produceTicks(topic, [{ partition: 1, value: tick('600519.SH', 5, BASE_TIME + 4000) }]);
    const recovered = await sink.committedOffsets();
    expect(recovered).toEqual({ [`${topic}:0`]: '2', [`${topic}:1`]: '2' });
    const second = await startSource(topic, { groupId, from: recovered });
    const resumed = await collect(second, 1);
    expect(resumed.events.map((e) => `${e.partition}:${e.offset}`)).toEqual(['1:2']);
  });

  it('creates missing topics with their partitions and cleanup policy, idempotently', async () => {
    const name = uniqueName('io-compacted');
    createdTopics.push(name);
    expect(
      await ensureTopics(KafkajsTopicAdmin.over(admin), [{ name, partitions: 2, cleanupPolicy: 'compact' }]),
    ).toEqual([name]);
    expect(
      await ensureTopics(KafkajsTopicAdmin.over(admin), [{ name, partitions: 2, cleanupPolicy: 'compact' }]),
    ).toEqual([]);
    const metadata = await admin.fetchTopicMetadata({ topics: [name] });
    expect(metadata.topics[0]?.partitions).toHaveLength(2);
    const configs = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  describe('KafkaLevelSink', () => {
    let ticks: string;
    let levels: string;
    let deadLetters: string;
    let groupId: string;
    let sink: KafkaLevelSink;

    beforeAll(async () => {
      ticks = await topicWithSchema('io-sink-ticks', 2, 'market-tick');
      levels = await topicWithSchema('io-levels', 3, 'index-level');
      deadLetters = await topicWithSchema('io-dead-letter', 1, null);
      groupId = uniqueName('io-sink-group');
      sink = new KafkaLevelSink({
        kafka,
        registry,
        groupId,
        inputTopics: [ticks],
        levelsTopic: levels,
        deadLetterTopic: deadLetters,
        transactionalId: uniqueName('indexflow-calculator-io'),
        logger: silent,
      });
    });

    afterAll(async () => {
      await sink?.close();
    });

    async function readCommitted(
      topic: string,
      until: (messages: KafkaMessage[]) => boolean,
    ): Promise<KafkaMessage[]> {
      const consumer: Consumer = kafka.consumer({ groupId: uniqueName('io-reader'), readUncommitted: false });
      closers.push(() => consumer.disconnect());
      const messages: KafkaMessage[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
      await waitFor(() => until(messages), { timeoutMs: 20_000, description: `messages read from ${topic}` });
      return messages;
    }

    it('commits levels, dead letters and the input offsets in one transaction', async () => {
      expect(await sink.committedOffsets()).toBeNull();
      const offsets = { [`${ticks}:0`]: '3', [`${ticks}:1`]: '1' };
      await sink.commit({
        levels: [level('995365', 1), level('995366', 1)],
        conflated: [],
        rejected: [
          {
            topic: ticks,
            partition: 0,
            offset: '2',
            key: Buffer.from('600519.SH'),
            value: Buffer.from([1, 2, 3]),
            reason: 'non_positive_price',
            detail: 'price was -1.00',
          },
        ],
        offsets,
      });

      expect(await sink.committedOffsets()).toEqual(offsets);
      const levelMessages = await readCommitted(levels, (m) => m.length >= 2);
      const serdes = createAvroSerdes<IndexLevelRecord>(registry, levels);
      const decoded = await Promise.all(levelMessages.map((m) => serdes.deserialize(m.value as Buffer)));
      expect(levelMessages.map((m) => m.key?.toString()).sort()).toEqual(['995365', '995366']);
      expect(decoded.find((r) => r.indexId === '995365')).toMatchObject({
        level: '1008.6292988784',
        change: '8.6292988784',
        trigger: 'TICK',
        triggerSymbol: '600519.SH',
      });

      const [deadLetter] = await readCommitted(deadLetters, (m) => m.length >= 1);
      expect(deadLetter?.key?.toString()).toBe('600519.SH');
      expect(deadLetter?.value).toEqual(Buffer.from([1, 2, 3]));
      const headers = Object.fromEntries(
        Object.entries(deadLetter?.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(headers).toEqual({
        [DEAD_LETTER_HEADERS.rejectReason]: 'non_positive_price',
        [DEAD_LETTER_HEADERS.sourceTopic]: ticks,
        [DEAD_LETTER_HEADERS.sourcePartition]: '0',
        [DEAD_LETTER_HEADERS.sourceOffset]: '2',
        [DEAD_LETTER_DETAIL_HEADER]: 'price was -1.00',
        [DEAD_LETTER_LENGTH_HEADER]: '3',
        [DEAD_LETTER_SHA256_HEADER]: createHash('sha256')
          .update(Buffer.from([1, 2, 3]))
          .digest('hex'),
      });
    });

    it('leaves nothing visible and the offsets unchanged when a transaction fails', async () => {
      const before = await sink.committedOffsets();
      // A level record larger than the broker's default message.max.bytes (the pipeline's size
      // guard keeps such levels from a real sink; dead letters are bounded): the first level is
      // appended, the second refused, and the abort must hide the first.
      const huge = { ...level('995396', 6), symbol: 'S'.repeat(2 * 1024 * 1024) } as IndexLevel;
      const error = await sink
        .commit({
          levels: [level('995399', 7), huge],
          conflated: [],
          rejected: [],
          offsets: { [`${ticks}:0`]: '9', [`${ticks}:1`]: '9' },
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LevelTransactionError);
      expect(error).toMatchObject({ aborted: true, offsets: { [`${ticks}:0`]: '9' } });
      expect(await sink.committedOffsets()).toEqual(before);

      // The sink still works, and a read_committed reader sees the marker but never the aborted level.
      const offsets = { [`${ticks}:0`]: '4', [`${ticks}:1`]: '2' };
      await sink.commit({ levels: [level('995398', 8)], conflated: [], rejected: [], offsets });
      expect(await sink.committedOffsets()).toEqual(offsets);
      const messages = await readCommitted(levels, (m) =>
        m.some((message) => message.key?.toString() === '995398'),
      );
      expect(messages.map((m) => m.key?.toString())).not.toContain('995399');
    });

    it('sends while the state is being staged, and aborts when the stage fails', async () => {
      const before = await sink.committedOffsets();
      let failStage: (reason: Error) => void = () => {};
      const staged = new Promise<void>((_, reject) => {
        failStage = reject;
      });
      staged.catch(() => {});
      const committing = sink
        .commit(
          {
            levels: [level('995397', 9)],
            conflated: [],
            rejected: [],
            offsets: { [`${ticks}:0`]: '11', [`${ticks}:1`]: '11' },
          },
          staged,
        )
        .catch((caught: unknown) => caught);
      // The level is sent before the stage answers; the stage then fails, as a version conflict would.
      await new Promise((resolve) => setTimeout(resolve, 500));
      failStage(new Error('stage refused'));
      const error = await committing;
      expect(error).toBeInstanceOf(LevelTransactionError);
      expect(error).toMatchObject({ aborted: true, cause: { message: 'stage refused' } });
      expect(await sink.committedOffsets()).toEqual(before);

      const offsets = { [`${ticks}:0`]: '12', [`${ticks}:1`]: '12' };
      await sink.commit(
        { levels: [level('995396', 10)], conflated: [], rejected: [], offsets },
        Promise.resolve(),
      );
      expect(await sink.committedOffsets()).toEqual(offsets);
      const messages = await readCommitted(levels, (m) =>
        m.some((message) => message.key?.toString() === '995396'),
      );
      expect(messages.map((m) => m.key?.toString())).not.toContain('995397');
    });
  });
});
