import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ALL_TOPICS, AVRO_TOPICS, createKafkaClient, valueSubject } from '@indexflow/kafka';
import { uniqueName } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import { serviceEndpoints } from './support/calculator-process.js';
import { CLI } from './support/entry-points.js';

describe('indexflow admin init (the deploy’s init step) on real Kafka and Apicurio', () => {
  it('creates every catalogue topic with its partitions and registers every subject, and a second run changes nothing', async () => {
    const { kafkaBrokers, schemaRegistryUrl } = serviceEndpoints();
    const prefix = `${uniqueName('init')}.`;
    const env = {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers,
      SCHEMA_REGISTRY_URL: schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
    };
    const run = () =>
      spawnSync(process.execPath, [CLI, 'admin', 'init'], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });

    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${ALL_TOPICS.length} topics (${ALL_TOPICS.length} created`);

    const admin = createKafkaClient({
      brokers: kafkaBrokers.split(','),
      clientId: uniqueName('init-check'),
    }).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({
      topics: ALL_TOPICS.map((t) => `${prefix}${t.name}`),
    });
    await admin.disconnect();
    expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual(
      Object.fromEntries(ALL_TOPICS.map((t) => [`${prefix}${t.name}`, t.partitions])),
    );
    // Asked one by one: the subject list is paged (1,000 at a time) on a registry many runs share.
    for (const topic of AVRO_TOPICS) {
      const subject = encodeURIComponent(valueSubject(`${prefix}${topic.name}`));
      const versions = await fetch(`${schemaRegistryUrl}/subjects/${subject}/versions`);
      expect(versions.status, subject).toBe(200);
      expect(((await versions.json()) as number[]).length, subject).toBe(1);
    }

    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain(`${ALL_TOPICS.length} topics (0 created)`);
  }, 60_000);
});
