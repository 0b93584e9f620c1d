// The native event source is a static group member (group.instance.id = its group). A second
// member under the same instance id fences it, which librdkafka makes a fatal error, as when the
// broker answers a lost join of its own: the source must fail its run at once (so the service
// recovers in-process) instead of answering empty batches for ever, and a new source under the
// same id must take the partitions back.
import {
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  KafkajsTopicAdmin,
  loadSchemaFile,
  NativeEventSource,
  nativeKafka,
  registerSchema,
  valueSubject,
} from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';

const brokers = inject('kafkaBrokers').split(',');
const registry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 });
const kafka = createKafkaClient({ brokers, clientId: uniqueName('fenced') });
const logged: { msg: string }[] = [];
const logger = {
  info() {},
  debug() {},
  warn() {},
  error: (_fields: object, msg: string) => logged.push({ msg }),
};
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

function source(groupId: string, topic: string): NativeEventSource {
  const created = new NativeEventSource({
    brokers,
    clientId: uniqueName('fenced-source'),
    registry,
    groupId,
    topics: [{ name: topic, schema: 'market-tick' }],
    idleTimeoutMs: 200,
    logger,
  });
  closers.push(() => created.close());
  return created;
}

describe('native event source, fenced by its own group instance id', () => {
  it('fails its run at once, and a new source under the same id takes the partitions back', async () => {
    const admin = kafka.admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    const topic = uniqueName('fenced-ticks');
    await ensureTopics(KafkajsTopicAdmin.over(admin), [
      { name: topic, partitions: 1, cleanupPolicy: 'delete' },
    ]);
    await registerSchema(registry, valueSubject(topic), await loadSchemaFile('market-tick'));
    const groupId = uniqueName('fenced-group');
    const first = source(groupId, topic);
    await first.start(null);
    expect((await first.nextBatch(10, 200)).events).toEqual([]);

    // Another member under the same instance id: the first one is fenced.
    const Kafka = nativeKafka();
    const intruder = new Kafka.KafkaConsumer(
      {
        'metadata.broker.list': brokers.join(','),
        'group.id': groupId,
        'group.instance.id': groupId,
        'enable.auto.commit': false,
      },
      {},
    );
    await new Promise<void>((resolve, reject) =>
      intruder.connect({}, (err) => (err ? reject(err) : resolve())),
    );
    closers.push(() => new Promise<void>((resolve) => intruder.disconnect(() => resolve())));
    intruder.subscribe([topic]);
    intruder.consume(1, () => {});
    const failure = await waitFor(
      async () =>
        first.nextBatch(10, 200).then(
          () => null,
          (error: unknown) => error,
        ),
      { timeoutMs: 30_000, intervalMs: 100, description: 'the fenced source failing its batch' },
    );
    expect(String((failure as Error).message)).toMatch(/consume/);
    // Through consume()'s error or the client's fatal error event, whichever librdkafka gives first.
    expect(logged.some((l) => l.msg.startsWith('consumer failed'))).toBe(true);
    await first.close();

    // The recovery's new source rejoins under the same id and gets the partition.
    const second = source(groupId, topic);
    await second.start(null);
    expect((await second.nextBatch(10, 200)).events).toEqual([]);
  }, 90_000);
});
