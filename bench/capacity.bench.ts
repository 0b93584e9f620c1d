/**
 * `pnpm bench:capacity` (services must be running: `bash scripts/services.sh up && eval "$(bash
 * scripts/services.sh env)"`).
 *
 * Market scale (5,000 symbols, 1,000 indices × 50 constituents, so a tick moves ~10 indices):
 * produces BENCH_CAPACITY_TICKS ticks (default 60,000) once, then drains them from the start with
 * 1. the single calculator (SHARDS=1), and
 * 2. a sharded calculator (SHARDS=BENCH_CAPACITY_SHARDS, default 6) on 1, 2 and 3 instances,
 * each run a fresh CALCULATOR_ID (own groups, transactional ids and Redis keys) on the same input.
 * Per run: ticks/s from the first commit to the last, the wall time including start-up, the CPU
 * the instances used per tick, and the Redis memory of the run's keys. Every instance is a real
 * calculator process, as deployed. Prints readable lines, then one JSON object on the last line.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  KafkajsTopicAdmin,
  type MarketTickRecord,
  registerTopicSchemas,
  TOPICS,
  topicNames,
} from '@indexflow/kafka';
import { Redis } from 'ioredis';
import type { Message } from 'kafkajs';
import { makeTicks, marketScale } from './bench-data.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TICKS = Number(process.env.BENCH_CAPACITY_TICKS ?? 60_000);
const SHARDS = Number(process.env.BENCH_CAPACITY_SHARDS ?? 6);
const INSTANCES = (process.env.BENCH_CAPACITY_INSTANCES ?? '1,2,3').split(',').map(Number);
const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL } = process.env;
if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !REDIS_URL) {
  process.stderr.write(
    'bench:capacity needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL: run `bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"` first\n',
  );
  process.exit(2);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

const prefix = `capacity-${Date.now()}.`;
const topics = topicNames(prefix);
const kafka = createKafkaClient({ brokers: KAFKA_BROKERS.split(','), clientId: 'indexflow-bench-capacity' });
const registry = createSchemaRegistryClient({ url: SCHEMA_REGISTRY_URL });
const admin = kafka.admin();
await admin.connect();
// The shard topic first, with SHARDS partitions (the catalogue's default is another count).
await ensureTopics(KafkajsTopicAdmin.over(admin), [
  { name: topics.calculatorShards, partitions: SHARDS, cleanupPolicy: TOPICS.calculatorShards.cleanupPolicy },
]);
await ensureTopics(
  KafkajsTopicAdmin.over(admin),
  ALL_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` })),
);
await registerTopicSchemas(registry, {
  topics: AVRO_TOPICS.map((t) => ({ name: `${prefix}${t.name}`, schema: t.schema })),
});

// Definitions as a replay-format dataset directory, which is what the calculator reads.
const market = marketScale(7);
const datasetDir = mkdtempSync(join(tmpdir(), 'indexflow-bench-capacity-'));
mkdirSync(join(datasetDir, 'indices'));
for (const definition of market.definitions)
  writeFileSync(join(datasetDir, 'indices', `${definition.id}.json`), JSON.stringify(definition));

const start = Date.parse('2025-03-20T09:30:00+08:00');
const ticks = makeTicks(market.symbols, TICKS, 11, start);
const serdes = createAvroSerdes<MarketTickRecord>(registry, topics.ticksAshare);
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const sequence = new Map<string, number>();
const produceStarted = Date.now();
for (let from = 0; from < ticks.length; from += 5000) {
  const messages: Message[] = [];
  for (const tick of ticks.slice(from, from + 5000)) {
    const seq = (sequence.get(tick.symbol) ?? 0) + 1;
    sequence.set(tick.symbol, seq);
    const record: MarketTickRecord = {
      symbol: tick.symbol,
      market: 'SH',
      currency: 'CNY',
      eventTime: tick.eventTime,
      sequence: seq,
      lastPrice: tick.price,
      volume: '100',
      turnover: '0',
      bidPrice: null,
      askPrice: null,
      tradingPhase: 'CONTINUOUS',
    };
    messages.push({ key: tick.symbol, value: await serdes.serialize(record) });
  }
  await producer.send({ topic: topics.ticksAshare, messages });
}
await producer.disconnect();
console.log(
  `produced ${fmt(TICKS)} ticks over ${fmt(market.symbols.length)} symbols for ${fmt(market.definitions.length)} indices in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s`,
);

const inputTopics = [topics.ticksAshare, topics.ticksHk, topics.fx, topics.indexAdjustments];
const ends = new Map<string, bigint>();
for (const topic of inputTopics)
  for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
const redis = new Redis(REDIS_URL);

interface RunResult {
  readonly label: string;
  readonly shards: number;
  readonly instances: number;
  readonly ticksPerSecond: number;
  readonly wallSeconds: number;
  readonly cpuMicrosPerTick: number;
  readonly redisBytes: number;
  readonly loadAverage1m: number;
}

async function drainedShare(groups: readonly string[]): Promise<{ any: boolean; all: boolean }> {
  let any = false;
  let all = true;
  for (const groupId of groups) {
    for (const t of await admin.fetchOffsets({ groupId, topics: inputTopics })) {
      for (const p of t.partitions) {
        const at = BigInt(p.offset);
        if (at > 0n) any = true;
        if (at < (ends.get(`${t.topic}:${p.partition}`) ?? 0n)) all = false;
      }
    }
  }
  return { any, all };
}

/** Bytes Redis uses for one calculator's keys (every shard's, for a sharded one). */
async function redisBytes(calculatorId: string): Promise<number> {
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*{${calculatorId}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) bytes += Number((await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
  } while (cursor !== '0');
  return bytes;
}

async function run(label: string, shards: number, instances: number): Promise<RunResult> {
  const calculatorId = `cap${shards}x${instances}`;
  const groups =
    shards === 1
      ? [`indexflow-calculator-${prefix}${calculatorId}`]
      : Array.from({ length: shards }, (_, s) => `indexflow-calculator-${prefix}${calculatorId}-shard-${s}`);
  const started = Date.now();
  const children: ChildProcess[] = Array.from({ length: instances }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'services/index-calculator/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TOPIC_PREFIX: prefix,
        CALCULATOR_ID: calculatorId,
        INDEX_DEFINITIONS_DIR: datasetDir,
        SHARDS: String(shards),
        SHARD_SESSION_TIMEOUT_MS: '6000',
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        BATCH_SIZE: process.env.BENCH_CAPACITY_BATCH ?? '2000',
      },
      // The instances' own logs (warnings about rebalances and retries) would bury the figures.
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  let firstCommit = 0;
  let cpuAtFirst = 0;
  for (;;) {
    const { any, all } = await drainedShare(groups);
    if (any && firstCommit === 0) {
      firstCommit = Date.now();
      cpuAtFirst = children.reduce((sum, c) => sum + cpuSeconds(c.pid), 0);
    }
    if (all) break;
    await sleep(100);
  }
  const done = Date.now();
  const cpu = children.reduce((sum, c) => sum + cpuSeconds(c.pid), 0) - cpuAtFirst;
  const loadAverage1m = loadavg()[0]!;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((resolve) => c.on('exit', resolve))));
  const result: RunResult = {
    label,
    shards,
    instances,
    ticksPerSecond: Math.round(TICKS / ((done - (firstCommit || started)) / 1000)),
    wallSeconds: Number(((done - started) / 1000).toFixed(1)),
    cpuMicrosPerTick: Number(((cpu / TICKS) * 1e6).toFixed(1)),
    redisBytes: await redisBytes(calculatorId),
    loadAverage1m: Number(loadAverage1m.toFixed(1)),
  };
  console.log(
    `${label}: ${fmt(result.ticksPerSecond)} ticks/s from first to last commit (${result.wallSeconds} s with start-up), ${result.cpuMicrosPerTick} µs CPU per tick over all instances, Redis ${(result.redisBytes / 1e6).toFixed(1)} MB, load ${result.loadAverage1m}`,
  );
  return result;
}

const results: RunResult[] = [await run('single calculator', 1, 1)];
for (const instances of INSTANCES) {
  results.push(await run(`${SHARDS} shards on ${instances} instance(s)`, SHARDS, instances));
}
redis.disconnect();
await admin.disconnect();
console.log(
  JSON.stringify({
    ticks: TICKS,
    symbols: market.symbols.length,
    indices: market.definitions.length,
    cores: availableParallelism(),
    runs: results,
  }),
);
