// Global setup of the `integration` vitest project: finds the real Kafka, Schema Registry and
// Redis, proves each one answers, and provides their endpoints to the tests (see
// provided-context.d.ts). Integration tests never skip: without services this setup fails.
//
// Precedence: endpoints from the environment (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL, as
// printed by `scripts/services.sh env`), then containers when a container runtime exists, else an error.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseKafkaBrokers, resolveServiceEndpoints, type ServiceEndpoints } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import kafkajs from 'kafkajs';
import type { TestProject } from 'vitest/node';

const CHECK_TIMEOUT_MS = 15_000;
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
const REDIS_IMAGE = 'redis:7';
const REGISTRY_IMAGE = 'apicurio/apicurio-registry:3.3.3';

const HOW_TO_START = [
  'Start the services first, then run the tests again:',
  '  pnpm test:all                       (starts Kafka, Apicurio Registry and Redis without Docker, then runs every test)',
  '  bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"   (then any vitest command)',
  'or make a container runtime (Docker/Podman) available so that testcontainers can start them.',
].join('\n');

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown | undefined> {
  const fromEnvironment = resolveServiceEndpoints(process.env);
  let endpoints: ServiceEndpoints;
  let teardown: Teardown | undefined;
  if (fromEnvironment !== undefined) {
    endpoints = fromEnvironment;
  } else if (await hasContainerRuntime()) {
    ({ endpoints, teardown } = await startContainers());
  } else {
    throw new Error(
      'Integration tests need Kafka, a Schema Registry and Redis: KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL ' +
        `were unset and no container runtime was found.\n${HOW_TO_START}`,
    );
  }

  try {
    const descriptions = await checkServices(endpoints);
    console.log(`integration services: ${descriptions.join(', ')}`);
  } catch (error) {
    await teardown?.();
    throw error;
  }

  buildEntryPoints();
  project.provide('kafkaBrokers', endpoints.kafkaBrokers.join(','));
  project.provide('schemaRegistryUrl', endpoints.schemaRegistryUrl);
  project.provide('redisUrl', endpoints.redisUrl);
  return teardown;
}

/**
 * The tests start the CLI and the services from their compiled entry points (see
 * integration/support/entry-points.ts): built here, from the sources as they are now.
 */
function buildEntryPoints(): void {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--no-declarations'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function hasContainerRuntime(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Checks all three services and throws one error that names every service that did not answer. */
async function checkServices(endpoints: ServiceEndpoints): Promise<string[]> {
  const checks = [
    ['kafka', endpoints.kafkaBrokers.join(','), () => describeKafka(endpoints.kafkaBrokers)],
    ['schema registry', endpoints.schemaRegistryUrl, () => describeRegistry(endpoints.schemaRegistryUrl)],
    ['redis', endpoints.redisUrl, () => describeRedis(endpoints.redisUrl)],
  ] as const;
  const results = await Promise.allSettled(
    checks.map(([, , check]) => withTimeout(check(), CHECK_TIMEOUT_MS)),
  );
  const failures: string[] = [];
  const descriptions: string[] = [];
  results.forEach((result, index) => {
    const [name, endpoint] = checks[index] ?? ['?', '?'];
    if (result.status === 'fulfilled') descriptions.push(result.value);
    else failures.push(`  ${name} at ${endpoint}: ${errorMessage(result.reason)}`);
  });
  if (failures.length > 0) {
    throw new Error(`Integration services did not answer:\n${failures.join('\n')}\n${HOW_TO_START}`);
  }
  return descriptions;
}

async function describeKafka(brokers: readonly string[]): Promise<string> {
  const kafka = new kafkajs.Kafka({
    clientId: 'indexflow-global-setup',
    brokers: [...brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    const cluster = await admin.describeCluster();
    const controller = String(cluster.controller ?? cluster.brokers[0]?.nodeId ?? '');
    let protocol = '';
    try {
      const configs = await admin.describeConfigs({
        resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: controller }],
        includeSynonyms: false,
      });
      const entry = configs.resources[0]?.configEntries.find(
        (e) => e.configName === 'inter.broker.protocol.version',
      );
      if (entry) protocol = `, protocol ${entry.configValue}`;
    } catch {
      // The protocol version is only informative; Kafka 4 no longer reports it.
    }
    return (
      `kafka ${brokers.join(',')} (cluster id ${cluster.clusterId}, ${cluster.brokers.length} broker(s)` +
      `${protocol}, ${topics.length} topics)`
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function describeRegistry(url: string): Promise<string> {
  const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url}/subjects answered HTTP ${response.status}`);
  const subjects: unknown = await response.json();
  if (!Array.isArray(subjects)) throw new Error(`GET ${url}/subjects did not answer a JSON array`);
  let product = 'Confluent-compatible API';
  // Apicurio serves its own system info beside the ccompat API; other registries simply lack it.
  const infoUrl = url.replace(/\/apis\/ccompat\/v\d+$/, '/apis/registry/v3/system/info');
  if (infoUrl !== url) {
    try {
      const info = await fetch(infoUrl, { signal: AbortSignal.timeout(3_000) });
      if (info.ok) {
        const body = (await info.json()) as { name?: string; version?: string };
        product = `${body.name ?? 'Apicurio Registry'} ${body.version ?? ''}`.trim();
      }
    } catch {
      // informative only
    }
  }
  return `registry ${url} (${product}, ${subjects.length} subjects)`;
}

async function describeRedis(url: string): Promise<string> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown version';
    return `redis ${url} (${version})`;
  } finally {
    redis.disconnect();
  }
}

async function startContainers(): Promise<{ endpoints: ServiceEndpoints; teardown: Teardown }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { RedisContainer } = await import('@testcontainers/redis');
  const started: { stop: () => Promise<unknown> }[] = [];
  const track = <T extends { stop: () => Promise<unknown> }>(container: T): T => {
    started.push(container);
    return container;
  };
  const teardown = async () => {
    await Promise.allSettled(started.map((container) => container.stop()));
  };
  try {
    const [kafka, redis, registry] = await Promise.all([
      new KafkaContainer(KAFKA_IMAGE).withKraft().start().then(track),
      new RedisContainer(REDIS_IMAGE).start().then(track),
      new GenericContainer(REGISTRY_IMAGE)
        .withExposedPorts(8080)
        .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080).forStatusCode(200))
        .withStartupTimeout(120_000)
        .start()
        .then(track),
    ]);
    const schemaRegistryUrl = `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`;
    // Apicurio enforces no compatibility rule unless one is set; Confluent's default is BACKWARD.
    const configured = await fetch(`${schemaRegistryUrl}/config`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    if (!configured.ok) throw new Error(`PUT ${schemaRegistryUrl}/config answered HTTP ${configured.status}`);
    return {
      endpoints: {
        kafkaBrokers: parseKafkaBrokers(`${kafka.getHost()}:${kafka.getMappedPort(9093)}`),
        schemaRegistryUrl,
        redisUrl: redis.getConnectionUrl(),
      },
      teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() reports "fetch failed" and keeps the reason (e.g. ECONNREFUSED) in `cause`.
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
