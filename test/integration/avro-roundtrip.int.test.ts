// Avro values through the real Schema Registry (Apicurio in CI) and real Kafka: explicit
// registration, Confluent wire format, keyed produce, group consume, decode, per-key order.

// @indexflow/kafka is not a root dependency, so the tests reach it by path through its entry.
import {
  AVRO_TOPICS,
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  loadSchemaFile,
  type MarketTickRecord,
  registerSchema,
  registerTopicSchemas,
  SchemaRegistryError,
  tickKey,
  valueSubject,
} from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const registry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 });
const kafka = createKafkaClient({
  brokers: inject('kafkaBrokers').split(','),
  clientId: uniqueName('avro-roundtrip'),
});

function tick(symbol: string, sequence: number, lastPrice: string): MarketTickRecord {
  const hk = symbol.endsWith('.HK');
  return {
    symbol,
    market: hk ? 'HK' : symbol.endsWith('.SH') ? 'SH' : 'SZ',
    currency: hk ? 'HKD' : 'CNY',
    eventTime: Date.UTC(2026, 10, 27, 1, 30, 0, 0) + sequence * 1_000,
    sequence,
    lastPrice,
    volume: String(1_000 * sequence),
    turnover: `${sequence}.000000000000000001`,
    bidPrice: sequence % 2 === 0 ? null : lastPrice,
    askPrice: '1008.629298878400000000',
    tradingPhase: 'CONTINUOUS',
  };
}

describe('Avro round trip through the real registry and Kafka', () => {
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];
  const createdTopics: string[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ maxInFlightRequests: 1, idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    await producer?.disconnect();
    if (createdTopics.length > 0) await admin?.deleteTopics({ topics: createdTopics }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('registers every schema file under its subject, idempotently', async () => {
    // Unique subjects keep the shared registry free of cross-run coupling.
    const prefix = uniqueName('avro-register');
    const topics = AVRO_TOPICS.map((topic) => ({ name: `${prefix}.${topic.name}`, schema: topic.schema }));
    const first = await registerTopicSchemas(registry, { topics });
    expect(first.map((schema) => schema.subject)).toEqual(topics.map((topic) => valueSubject(topic.name)));
    expect(await registerTopicSchemas(registry, { topics })).toEqual(first);

    // Apicurio ids are content ids: the same .avsc under two subjects has one id.
    const [ashare, hk] = first;
    expect(ashare?.schemaName).toBe('market-tick');
    expect(hk?.schemaName).toBe('market-tick');
    expect(hk?.id).toBe(ashare?.id);

    // The registry may canonicalise the text, so compare the parsed structure, not the string.
    const latest = await registry.getLatestSchemaMetadata(valueSubject(topics[0]?.name ?? ''));
    const fieldNames = (JSON.parse(latest.schema) as { fields: { name: string }[] }).fields.map(
      (f) => f.name,
    );
    expect(fieldNames).toEqual([
      'symbol',
      'market',
      'currency',
      'eventTime',
      'sequence',
      'lastPrice',
      'volume',
      'turnover',
      'bidPrice',
      'askPrice',
      'tradingPhase',
    ]);
  });

  it('refuses to serialize for a subject with no schema instead of registering an inferred one', async () => {
    const topic = uniqueName('avro-unregistered');
    const serdes = createAvroSerdes<MarketTickRecord>(registry, topic);
    const error = await serdes.serialize(tick('600519.SH', 1, '1688.00')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ subject: valueSubject(topic), status: 404, retriable: false });
    expect(await registry.getAllSubjects()).not.toContain(valueSubject(topic));
  });

  it('produces keyed Avro ticks and consumes them back decoded, in order per symbol', async () => {
    const topic = uniqueName('avro-ticks');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    createdTopics.push(topic);
    const registered = await registerSchema(
      registry,
      valueSubject(topic),
      await loadSchemaFile('market-tick'),
    );
    const serdes = createAvroSerdes<MarketTickRecord>(registry, topic);

    const symbols = ['600519.SH', '000001.SZ', '0700.HK', '9988.HK'];
    const sent: MarketTickRecord[] = [];
    for (let sequence = 1; sequence <= 5; sequence += 1) {
      for (const [index, symbol] of symbols.entries()) {
        sent.push(tick(symbol, sequence, `${100 + index}.${sequence}0`));
      }
    }
    const messages = await Promise.all(
      sent.map(async (value) => ({ key: tickKey(value), value: await serdes.serialize(value) })),
    );
    for (const { value } of messages) {
      expect(value[0]).toBe(0);
      expect(value.readUInt32BE(1)).toBe(registered.id);
    }
    await producer.send({ topic, messages });

    const received: { partition: number; key: string; value: MarketTickRecord }[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('avro-group') });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (message.value === null) throw new Error(`offset ${message.offset} had a null value`);
        received.push({
          partition,
          key: message.key?.toString('utf8') ?? '',
          value: await serdes.deserialize(message.value),
        });
      },
    });
    await waitFor(() => received.length >= sent.length, {
      timeoutMs: 45_000,
      description: `${sent.length} ticks consumed from ${topic}`,
    });

    expect(received).toHaveLength(sent.length);
    for (const symbol of symbols) {
      const ofSymbol = received.filter((record) => record.key === symbol);
      expect(new Set(ofSymbol.map((record) => record.partition)).size, `${symbol} on one partition`).toBe(1);
      expect(ofSymbol.map((record) => record.value)).toEqual(sent.filter((value) => value.symbol === symbol));
    }
    expect(received.find((record) => record.key === '0700.HK')?.value.askPrice).toBe(
      '1008.629298878400000000',
    );
  });
});
