// The event source's schema-registry policy on real Kafka, against a scripted registry: an id the
// registry does not know and an id whose lookups fail with 503 are dead-lettered (unknown_schema,
// schema_unavailable) while good records flow; a registry that answers nothing fails the source
// (a retriable error) instead of dead-lettering good records or retrying forever.
import { createServer, type Server } from 'node:http';
import {
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  KafkaEventSource,
  KafkajsTopicAdmin,
  loadSchemaFile,
  type MarketTickRecord,
  registerSchema,
  SchemaRegistryError,
  valueSubject,
} from '@indexflow/kafka';
import type { RejectedRecord } from '@indexflow/pipeline';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';

const kafka = createKafkaClient({
  brokers: inject('kafkaBrokers').split(','),
  clientId: uniqueName('registry-policy'),
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A registry that serves one schema id, refuses one with 404 and fails one with 503; counts calls. */
async function scriptedRegistry(schema: string) {
  const calls = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    response.setHeader('content-type', 'application/json');
    if (path === '/subjects') return response.end('[]');
    if (path === '/schemas/ids/1') return response.end(JSON.stringify({ schema }));
    if (path === '/schemas/ids/3') {
      response.statusCode = 503;
      return response.end(JSON.stringify({ error_code: 50301, message: 'unavailable' }));
    }
    response.statusCode = 404;
    response.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(r)) };
}

const withId = (id: number, body: Buffer) => {
  const framed = Buffer.from(body);
  framed.writeInt32BE(id, 1);
  return framed;
};

describe('KafkaEventSource schema-registry policy', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  it('dead-letters unknown and failing ids with their reasons, one lookup per id, and fails when the registry is down', async () => {
    // Good bytes come from the real registry; the source reads them through the scripted one.
    const realRegistry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl') });
    const topic = uniqueName('registry-policy');
    const admin = kafka.admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    await ensureTopics(KafkajsTopicAdmin.over(admin), [
      { name: topic, partitions: 1, cleanupPolicy: 'delete' },
    ]);
    closers.push(() => admin.deleteTopics({ topics: [topic] }));
    const file = await loadSchemaFile('market-tick');
    await registerSchema(realRegistry, valueSubject(topic), file);
    const tick = (sequence: number): MarketTickRecord => ({
      symbol: '600519.SH',
      market: 'SH',
      currency: 'CNY',
      eventTime: 1_764_000_000_000 + sequence,
      sequence,
      lastPrice: '1688.00',
      volume: '0',
      turnover: '0',
      bidPrice: null,
      askPrice: null,
      tradingPhase: 'CONTINUOUS',
    });
    const serdes = createAvroSerdes<MarketTickRecord>(realRegistry, topic);
    const good = async (sequence: number) => withId(1, await serdes.serialize(tick(sequence)));
    const fake = await scriptedRegistry(file.schema);
    closers.push(fake.close);

    const producer = kafka.producer();
    await producer.connect();
    closers.push(() => producer.disconnect());
    const junk = await serdes.serialize(tick(99));
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: await good(1) },
        { key: 'a', value: withId(2, junk) },
        { key: 'a', value: withId(3, junk) },
        { key: 'a', value: withId(2, junk) },
        { key: 'a', value: withId(3, junk) },
        { key: 'a', value: await good(2) },
      ],
    });

    const source = new KafkaEventSource({
      kafka,
      // No retries inside the client: the policy's own attempts are what is counted here.
      registry: createSchemaRegistryClient({ url: fake.url, maxRetries: 0 }),
      groupId: uniqueName('registry-policy-group'),
      topics: [{ name: topic, schema: 'market-tick' }],
      idleTimeoutMs: 200,
      logger: silent,
    });
    closers.push(() => source.close());
    await source.start(null);
    const events: string[] = [];
    const rejected: RejectedRecord[] = [];
    await waitFor(
      async () => {
        const batch = await source.nextBatch(100, 250);
        events.push(...batch.events.map((e) => e.offset));
        rejected.push(...batch.undecodable);
        return events.length + rejected.length >= 6;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    expect(events).toEqual(['0', '5']);
    expect(rejected.map((r) => `${r.offset}:${r.reason}`)).toEqual([
      '1:unknown_schema',
      '2:schema_unavailable',
      '3:unknown_schema',
      '4:schema_unavailable',
    ]);
    expect(rejected.every((r) => r.detail.length <= 200)).toBe(true);
    // Negative cache: each bad id was looked up once (404) or once per attempt (503), never per record.
    expect(fake.calls.get('/schemas/ids/2')).toBe(1);
    expect(fake.calls.get('/schemas/ids/3')).toBe(3);
    expect(fake.calls.get('/subjects')).toBe(1);

    // The registry goes away; a record with an id not resolved yet must fail the source.
    await fake.close();
    await producer.send({ topic, messages: [{ key: 'a', value: withId(7, junk) }] });
    let failure: unknown;
    await waitFor(
      async () => {
        failure = await source.nextBatch(100, 250).then(
          () => undefined,
          (error: unknown) => error,
        );
        return failure !== undefined;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    expect(failure).toBeInstanceOf(SchemaRegistryError);
    expect(failure).toMatchObject({ retriable: true });
  });
});
