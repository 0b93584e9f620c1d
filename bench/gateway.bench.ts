/**
 * pnpm bench:gateway — desk-feed fan-out on loopback.
 *
 * 1. Creates fresh, uniquely prefixed topics and registers their schemas.
 * 2. Starts the gateway as its own process (as deployed), reading those topics.
 * 3. Connects BENCH_CLIENTS (1,000) WebSocket clients, each subscribed to the three seed indices.
 * 4. Publishes BENCH_RATE (10) levels per second per index, through the real Avro serdes and Kafka,
 *    for BENCH_SECONDS (20) after a warm-up, and measures what the clients receive.
 *
 * Prints delivered messages/s (against the offered rate × clients), fan-out latency (gateway hands
 * the level to its clients → a client has parsed it, same clock) and end-to-end latency (publish →
 * client), p50/p99, the gateway's own fan-out time (its histogram: one level handed to every
 * subscribed socket), its CPU per delivered message, and its memory. The last line is one JSON
 * object.
 *
 * The clients run in this process, which lowers its own scheduling priority once the gateway is
 * started (nice 19), so on a small machine the load generator does not starve the gateway: the
 * gateway's figures are its own, and the client-side latencies include the clients' own queueing.
 * Needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL (eval "$(bash scripts/services.sh env)").
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  AVRO_TOPICS,
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  type IndexLevelRecord,
  KafkajsTopicAdmin,
  registerTopicSchemas,
  TOPICS,
  topicNames,
} from '@indexflow/kafka';
import { SEED_INDEX_IDS } from '@indexflow/seed-indices';
import { waitFor } from '@indexflow/testkit';
import { sha256Hex } from '../services/gateway/src/entitlements.js';
import type { ServerMessage } from '../services/gateway/src/protocol.js';
import { FeedClient } from '../services/gateway/src/testing/feed-client.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const KEY = `bench-key-${Date.now()}`;

const brokers = process.env.KAFKA_BROKERS;
const registryUrl = process.env.SCHEMA_REGISTRY_URL;
const redisUrl = process.env.REDIS_URL;
if (!brokers || !registryUrl || !redisUrl) {
  process.stderr.write(
    'bench:gateway needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL (eval "$(bash scripts/services.sh env)")\n',
  );
  process.exit(2);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

/** A histogram's cumulative bucket counts, by upper bound in seconds. */
function buckets(text: string, name: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`).exec(line);
    if (match)
      counts.set(match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]), Number(match[2]));
  }
  return counts;
}

/** Upper bound (ms) of the bucket holding quantile q of the observations between two scrapes. */
function bucketQuantileMs(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total === 0) return Number.NaN;
  for (const bound of bounds) {
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= q * total) return bound * 1000;
  }
  return Number.NaN;
}

const scrape = async () => (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();

const indices = [...SEED_INDEX_IDS];
const prefix = `bench-gw-${Date.now()}.`;
const topics = topicNames(prefix);
const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'bench-gateway' });
const admin = kafka.admin();
await admin.connect();
await ensureTopics(KafkajsTopicAdmin.over(admin), [{ ...TOPICS.indexLevels, name: topics.indexLevels }]);
await admin.disconnect();
const registry = createSchemaRegistryClient({ url: registryUrl });
await registerTopicSchemas(registry, {
  topics: AVRO_TOPICS.filter((t) => t.name === TOPICS.indexLevels.name).map((t) => ({
    name: `${prefix}${t.name}`,
    schema: t.schema,
  })),
});
const serdes = createAvroSerdes<IndexLevelRecord>(registry, topics.indexLevels);

const port = await freePort();
const opsPort = await freePort();
const gateway = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/src/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    TOPIC_PREFIX: prefix,
    PORT: String(port),
    OPS_PORT: String(opsPort),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: String(CLIENTS * 10),
    // Every bench client is the one desk: let it hold them all.
    MAX_CONNECTIONS_PER_DESK: String(CLIENTS),
    GATEWAY_DESKS: JSON.stringify([{ desk: 'bench', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stopGateway = () => gateway.kill('SIGTERM');
process.on('exit', stopGateway);
// The gateway keeps the default priority; this process (the clients and the producer) yields to it.
setPriority(19);
await waitFor(async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => null))?.ok, {
  timeoutMs: 60_000,
  description: 'the gateway to be ready',
});

const producer = kafka.producer();
await producer.connect();
let sequence = 0;
const publishTick = async () => {
  sequence += 1;
  const now = Date.now();
  const level = `${1000 + sequence / 10000}`;
  await producer.send({
    topic: topics.indexLevels,
    messages: await Promise.all(
      indices.map(async (indexId) => ({
        key: indexId,
        value: await serdes.serialize({
          indexId,
          currency: 'CNY',
          eventTime: now,
          sequence,
          trigger: 'TICK',
          triggerSymbol: '600000.SH',
          level,
          prevClose: '1000',
          change: `${sequence / 10000}`,
          changePercent: null,
          open: '1000',
          high: level,
          low: '1000',
          divisor: '1000000',
          marketValue: '1000000000',
          totalReturnLevel: null,
          netTotalReturnLevel: null,
          fxObservation: null,
          stale: false,
          constituents: null,
        }),
      })),
    ),
  });
};
// The gateway refuses subscriptions to ids it has never seen: publish one level per index first.
await publishTick();
await waitFor(
  async () =>
    (
      await fetch(`http://127.0.0.1:${port}/v1/indices/${indices[0]}`, {
        headers: { 'x-api-key': KEY },
      }).catch(() => null)
    )?.ok,
  { timeoutMs: 30_000, description: 'the gateway to know the indices' },
);

let measuring = false;
let delivered = 0;
let conflated = 0;
const fanOut: number[] = [];
const endToEnd: number[] = [];
const byType = new Map<string, number>();
const onMessage = (message: ServerMessage, receivedAt: number) => {
  byType.set(message.type, (byType.get(message.type) ?? 0) + 1);
  if (!measuring || message.type !== 'level') return;
  delivered += 1;
  conflated += message.conflated;
  fanOut.push(receivedAt - message.gatewayTime);
  endToEnd.push(receivedAt - message.level.eventTime);
};
const clients: FeedClient[] = [];
const connectStarted = Date.now();
for (let i = 0; i < CLIENTS; i += 100) {
  const batch = Array.from(
    { length: Math.min(100, CLIENTS - i) },
    () => new FeedClient(`ws://127.0.0.1:${port}/v1/ws`, { headers: { 'x-api-key': KEY }, onMessage }),
  );
  await Promise.all(batch.map((c) => c.opened));
  for (const c of batch) c.send({ type: 'subscribe', indices });
  clients.push(...batch);
}
console.log(`${CLIENTS} clients connected and subscribed in ${Date.now() - connectStarted} ms`);

const intervalMs = 1000 / RATE;
const runFor = async (seconds: number) => {
  const until = Date.now() + seconds * 1000;
  let next = Date.now();
  while (Date.now() < until) {
    await publishTick();
    next += intervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
};
await runFor(WARMUP_SECONDS);
const metricsBefore = await scrape();
measuring = true;
const measureStart = Date.now();
const firstMeasured = sequence + 1;
await runFor(SECONDS);
const published = sequence - firstMeasured + 1;
// Let the last levels arrive before counting.
await new Promise((resolve) => setTimeout(resolve, 1000));
measuring = false;
const elapsed = (Date.now() - measureStart) / 1000;

const metricsText = await scrape();
const fanOutName = 'indexflow_gateway_fan_out_seconds';
const [fanOutBefore, fanOutAfter] = [buckets(metricsBefore, fanOutName), buckets(metricsText, fanOutName)];
const cpuName = 'indexflow_gateway_process_cpu_seconds_total';
const gatewayCpuSeconds = metric(metricsText, cpuName) - metric(metricsBefore, cpuName);
const rssBytes = metric(metricsText, 'indexflow_gateway_process_resident_memory_bytes');
const heapBytes = metric(metricsText, 'indexflow_gateway_nodejs_heap_size_used_bytes');
const slowDisconnects = metric(metricsText, 'indexflow_gateway_slow_client_disconnects_total');
for (const c of clients) c.close();
await producer.disconnect();
stopGateway();

if (delivered === 0) {
  process.stderr.write(
    `no level reached a client; messages by type: ${JSON.stringify(Object.fromEntries(byType))}\n`,
  );
  process.exit(1);
}
fanOut.sort((a, b) => a - b);
endToEnd.sort((a, b) => a - b);
const offered = published * indices.length * CLIENTS;
const result = {
  clients: CLIENTS,
  indices: indices.length,
  updatesPerSecondPerIndex: RATE,
  seconds: SECONDS,
  offeredMessages: offered,
  deliveredMessages: delivered,
  deliveredMessagesPerSecond: Math.round(delivered / elapsed),
  conflatedMessages: conflated,
  slowClientDisconnects: slowDisconnects,
  fanOutLatencyMs: { p50: percentile(fanOut, 50), p99: percentile(fanOut, 99) },
  endToEndLatencyMs: { p50: percentile(endToEnd, 50), p99: percentile(endToEnd, 99) },
  gatewayFanOutMsAtMost: {
    p50: bucketQuantileMs(fanOutBefore, fanOutAfter, 0.5),
    p99: bucketQuantileMs(fanOutBefore, fanOutAfter, 0.99),
  },
  gatewayCpuMicrosPerMessage: Math.round((gatewayCpuSeconds * 1e6) / Math.max(1, delivered)),
  loadAverage1m: loadavg()[0]!.toFixed(2),
  gatewayMemoryMb: { rss: Math.round(rssBytes / 1e5) / 10, heapUsed: Math.round(heapBytes / 1e5) / 10 },
};
console.log(
  `delivered ${delivered.toLocaleString('en')} of ${offered.toLocaleString('en')} level messages in ${elapsed.toFixed(1)} s: ${result.deliveredMessagesPerSecond.toLocaleString('en')} msg/s (${conflated} conflated, ${slowDisconnects} slow disconnects)`,
);
console.log(
  `fan-out latency (gateway → client) p50 ${result.fanOutLatencyMs.p50} ms, p99 ${result.fanOutLatencyMs.p99} ms`,
);
console.log(
  `end-to-end latency (publish → client) p50 ${result.endToEndLatencyMs.p50} ms, p99 ${result.endToEndLatencyMs.p99} ms`,
);
console.log(
  `gateway's own fan-out (one level to every subscribed socket) p50 ≤ ${result.gatewayFanOutMsAtMost.p50} ms, p99 ≤ ${result.gatewayFanOutMsAtMost.p99} ms; ${result.gatewayCpuMicrosPerMessage} µs of gateway CPU per delivered message`,
);
console.log(
  `gateway memory: rss ${result.gatewayMemoryMb.rss} MB, heap used ${result.gatewayMemoryMb.heapUsed} MB`,
);
console.log(JSON.stringify(result));
process.exit(0);
