/**
 * `pnpm bench:e2e` (services must be running: `pnpm test:all` starts them, or
 * `bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"`).
 *
 * 1. Simulates the seed indices' market and produces ≥ BENCH_E2E_TICKS ticks (default 1,000,000)
 *    to fresh, uniquely prefixed topics.
 * 2. Raw kafkajs consume throughput of those topics (no decoding), in this process.
 * 3. Calculator throughput: a real calculator process drains the same topics from the start
 *    (Avro decode, canonical merge, engine, Redis stage/promote, transactions).
 * 4. Tick→publish latency at each steady offered load of BENCH_E2E_RATES (default 5000,20000
 *    ticks/s), for BENCH_E2E_SECONDS, default 10 s, after BENCH_E2E_WARMUP_SECONDS, default 3 s,
 *    unmeasured:
 *    time from a tick's scheduled send to the committed level reaching a read_committed consumer,
 *    and to the same level on the fast topic (the calculator is restarted with FAST_LEVELS=true
 *    for this step; its output tells what the offered load costs on this machine).
 * 5. Raw kafkajs transactional produce of the drain's level messages, and from it and step 2 the
 *    consume + produce bound: the most input records/s a single-threaded kafkajs calculator that
 *    consumes each record and publishes its levels could reach here, even with zero compute.
 * 6. The native client (KAFKA_CLIENT=native; skipped with BENCH_E2E_NATIVE=false or when it did
 *    not build): raw consume(n), a bare transactional consume → produce loop (transport bound), the
 *    native calculator's drain of the same records, ratios, and its latency at each rate of
 *    BENCH_E2E_RATES on both level topics.
 * Also reports the calculator's CPU per record during the drain and the load average, since other
 * work on the machine moves every wall-clock figure.
 * BENCH_E2E_CPU_PROF=<dir> profiles both drains' calculators (V8 `--cpu-prof`, kept in <dir>) and
 * prints where each one's CPU per record goes, stage by stage, against what 100k records/s needs;
 * BENCH_E2E_CPU_PROF_INTERVAL_US sets the sampling interval (default 1000, V8's).
 * BENCH_E2E_RATES=none skips the latency steps (a drain-only run).
 * Prints readable lines, then one JSON object on the last line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIndexDefinitions } from '@indexflow/dataset-files';
import { currencyOfSymbol, marketOfSymbol } from '@indexflow/index-engine';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  type FxRateRecord,
  fetchPartitionCounts,
  type IndexLevelRecord,
  KafkajsTopicAdmin,
  kafkajsRecordProducer,
  type MarketTickRecord,
  nativeKafkaAvailable,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import type { Message } from 'kafkajs';
import { produceDataset } from '../services/cli/src/kafka/produce-dataset.js';
import { drainBreakdown, monotonicMicros, type ProfiledDrain } from './drain-profile.js';
import { nativeConsumeProduceLoop, nativeRawConsume } from './native-transport.js';
import { breakdownJson, breakdownLines } from './stage-breakdown-report.js';
import {
  cpuSince,
  processCpuSeconds,
  threadCpuLine,
  threadGroupCpuSeconds,
  threadMicrosPerRecord,
} from './thread-cpu.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TICKS = Number(process.env.BENCH_E2E_TICKS ?? 1_000_000);
/** Offered loads of the latency steps, ticks/s (BENCH_E2E_RATE, one rate, is still read). */
const RATES_SETTING = process.env.BENCH_E2E_RATES ?? process.env.BENCH_E2E_RATE ?? '5000,20000';
const RATES = RATES_SETTING === 'none' ? [] : RATES_SETTING.split(',').map((rate) => Number(rate));
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 10);
/** Seconds of offered load before the latency window, not measured (JIT, first fetches). */
const WARMUP_SECONDS = Number(process.env.BENCH_E2E_WARMUP_SECONDS ?? 3);
const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL } = process.env;
if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !REDIS_URL) {
  process.stderr.write(
    'bench:e2e needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL: run `bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"` first\n',
  );
  process.exit(2);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const loadAtStart = loadavg()[0]!;

const prefix = `bench-${Date.now()}.`;
const topics = topicNames(prefix);
const kafka = createKafkaClient({ brokers: KAFKA_BROKERS.split(','), clientId: 'indexflow-bench' });
const registry = createSchemaRegistryClient({ url: SCHEMA_REGISTRY_URL });
const admin = kafka.admin();
await admin.connect();
await ensureTopics(
  KafkajsTopicAdmin.over(admin),
  ALL_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` })),
);
await registerTopicSchemas(registry, {
  topics: AVRO_TOPICS.map((t) => ({ name: `${prefix}${t.name}`, schema: t.schema })),
});
const TOPIC_PARTITIONS = await fetchPartitionCounts(KafkajsTopicAdmin.over(admin), [
  topics.ticksAshare,
  topics.ticksHk,
  topics.fx,
]);

// 1. Data: enough simulated trading days of the seed indices for TICKS ticks.
const datasetDir = mkdtempSync(join(tmpdir(), 'indexflow-bench-e2e-'));
const days = Math.max(1, Math.ceil(TICKS / 216_000));
execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    'services/cli/src/main.ts',
    'simulate',
    '--out',
    datasetDir,
    '--days',
    String(days),
    '--seed',
    '5',
  ],
  { cwd: ROOT, stdio: 'ignore' },
);
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const tickSerdes = new Map<string, ReturnType<typeof createAvroSerdes<MarketTickRecord>>>();
const serdesFor = (topic: string) => {
  let s = tickSerdes.get(topic);
  if (!s) {
    s = createAvroSerdes<MarketTickRecord>(registry, topic);
    tickSerdes.set(topic, s);
  }
  return s;
};
const produced = await produceDataset({
  datasetDir,
  producer: kafkajsRecordProducer(producer),
  topics,
  tickSerdes: serdesFor,
  fxSerdes: createAvroSerdes<FxRateRecord>(registry, topics.fx),
  speed: 'max',
  partitions: (topic) => TOPIC_PARTITIONS.get(topic) ?? 1,
  sleep,
  now: () => Date.now(),
  batchSize: 2000,
});
const records = produced.ticks + produced.fxRates;
console.log(
  `produced ${fmt(produced.ticks)} ticks + ${fmt(produced.fxRates)} fx in ${(produced.durationMs / 1000).toFixed(1)} s (${fmt(records / (produced.durationMs / 1000))} records/s)`,
);

// 2. Raw consume: the ceiling kafkajs sets on this machine.
const inputTopics = [topics.ticksAshare, topics.ticksHk, topics.fx];
let consumed = 0;
const raw = kafka.consumer({ groupId: `${prefix}raw`, maxBytesPerPartition: 4 << 20 });
await raw.connect();
for (const topic of inputTopics) await raw.subscribe({ topic, fromBeginning: true });
const rawStarted = Date.now();
let rawFirst = 0;
await raw.run({
  eachBatch: async ({ batch }) => {
    if (rawFirst === 0) rawFirst = Date.now();
    consumed += batch.messages.length;
  },
});
while (consumed < records) await sleep(20);
const rawSeconds = (Date.now() - (rawFirst || rawStarted)) / 1000;
await raw.disconnect();
const rawRate = records / rawSeconds;
console.log(`raw kafkajs consume (no decoding): ${fmt(rawRate)} records/s`);

// 3. Calculator drain, as a separate process (as deployed).
// BENCH_E2E_CPU_PROF=<dir>: the drains' calculators write their V8 CPU profiles there (open in
// Chrome DevTools); the latency steps' calculators are not profiled.
const PROFILE_DIR = process.env.BENCH_E2E_CPU_PROF || undefined;
const PROFILE_INTERVAL_US = process.env.BENCH_E2E_CPU_PROF_INTERVAL_US ?? '1000';
if (PROFILE_DIR !== undefined) mkdirSync(PROFILE_DIR, { recursive: true });
const profiledDrains: { client: 'kafkajs' | 'native'; drain: ProfiledDrain }[] = [];
const startCalculator = (extraEnv: Record<string, string>, profile = false) =>
  spawn(
    process.execPath,
    [
      ...(profile && PROFILE_DIR !== undefined
        ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-interval', PROFILE_INTERVAL_US]
        : []),
      '--import',
      'tsx',
      'services/index-calculator/src/main.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TOPIC_PREFIX: prefix,
        CALCULATOR_ID: 'bench',
        INDEX_DEFINITIONS_DIR: datasetDir,
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        BATCH_SIZE: process.env.BENCH_E2E_BATCH ?? '2000',
        // Steps 3 to 5 measure the kafkajs calculator; step 6 asks for the native one.
        KAFKA_CLIENT: 'kafkajs',
        ...extraEnv,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
let calculator: ReturnType<typeof startCalculator> | undefined = startCalculator({}, true);
const firstCalculator = calculator;
async function stopCalculator(): Promise<void> {
  const stopping = calculator;
  calculator = undefined;
  if (stopping === undefined) return;
  stopping.kill('SIGTERM');
  await new Promise((resolve) => stopping.on('exit', resolve));
}
const groupId = `indexflow-calculator-${prefix}bench`;
/** Input end offsets now, per `topic:partition`. */
async function inputEnds(): Promise<Map<string, string>> {
  const ends = new Map<string, string>();
  for (const topic of inputTopics)
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, p.high);
  return ends;
}
const ends = await inputEnds();
async function committedAll(group: string, until: ReadonlyMap<string, string>): Promise<boolean> {
  const offsets = await admin.fetchOffsets({ groupId: group, topics: inputTopics });
  return offsets.every((t) =>
    t.partitions.every((p) => BigInt(p.offset) >= BigInt(until.get(`${t.topic}:${p.partition}`) ?? '0')),
  );
}
/**
 * Waits until `group` has committed every input record; returns the wall time from its first
 * commit, and the window and CPU by thread from then on (for the CPU profile's breakdown).
 */
async function drained(group: string, pid: number | undefined) {
  const started = Date.now();
  let first = 0;
  let cpuAtFirst = Number.NaN;
  let threadsAtFirst = threadGroupCpuSeconds(pid);
  let fromMicros = monotonicMicros();
  for (;;) {
    const offsets = await admin.fetchOffsets({ groupId: group, topics: inputTopics });
    if (first === 0 && offsets.some((t) => t.partitions.some((p) => Number(p.offset) > 0))) {
      first = Date.now();
      fromMicros = monotonicMicros();
      cpuAtFirst = processCpuSeconds(pid);
      threadsAtFirst = threadGroupCpuSeconds(pid);
    }
    if (await committedAll(group, ends)) break;
    await sleep(100);
  }
  const drain: ProfiledDrain = {
    pid: pid ?? 0,
    window: { fromMicros, toMicros: monotonicMicros() },
    cpu: cpuSince(threadGroupCpuSeconds(pid), threadsAtFirst),
    records,
  };
  return { started, first, cpuAtFirst, drain };
}
const {
  started: drainStarted,
  first: firstCommit,
  cpuAtFirst: cpuAtFirstCommit,
  drain: kafkajsDrain,
} = await drained(groupId, firstCalculator.pid);
profiledDrains.push({ client: 'kafkajs', drain: kafkajsDrain });
const drainSeconds = (Date.now() - (firstCommit || drainStarted)) / 1000;
const calcRate = records / drainSeconds;
const calculatorCpuSeconds = processCpuSeconds(firstCalculator.pid) - cpuAtFirstCommit;
const loadDuringDrain = loadavg()[0]!;
console.log(
  `calculator drain: ${fmt(calcRate)} records/s (from its first commit; ${((Date.now() - drainStarted) / 1000).toFixed(1)} s including start-up and recovery)`,
);
console.log(`calculator / raw consume ratio: ${(calcRate / rawRate).toFixed(3)}`);
console.log(
  `calculator CPU during the drain: ${calculatorCpuSeconds.toFixed(1)} s for ${drainSeconds.toFixed(1)} s wall (${((calculatorCpuSeconds / records) * 1e6).toFixed(1)} µs per record); 1-min load average ${loadDuringDrain.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(`calculator CPU by thread during the drain: ${threadCpuLine(kafkajsDrain.cpu, records)}`);

// 3b. What the drain had to publish: every level and conflated level, read back as a desk would.
const levelTopics = [topics.indexLevels, topics.indexLevelsConflated];
const levelEnds = new Map<string, bigint>();
for (const topic of levelTopics)
  for (const p of await admin.fetchTopicOffsets(topic))
    levelEnds.set(`${topic}:${p.partition}`, BigInt(p.high));
let levelMessages = 0;
const sampleMessages: Message[] = [];
const counter = kafka.consumer({ groupId: `${prefix}count`, maxBytesPerPartition: 4 << 20 });
await counter.connect();
await counter.subscribe({ topics: levelTopics, fromBeginning: true });
const reached = new Set<string>();
await counter.run({
  eachBatch: async ({ batch }) => {
    levelMessages += batch.messages.length;
    for (const m of batch.messages)
      if (sampleMessages.length < 2000) sampleMessages.push({ key: m.key, value: m.value });
    // Transaction markers take offsets too: a partition is done when its fetch reaches the end.
    if (BigInt(batch.highWatermark) <= BigInt(batch.lastOffset()) + 1n)
      reached.add(`${batch.topic}:${batch.partition}`);
  },
});
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const done = [...levelEnds].every(([key, end]) => end === 0n || reached.has(key));
    if (done) {
      clearInterval(timer);
      resolve();
    }
  }, 50);
});
await counter.disconnect();
const levelsPerRecord = levelMessages / records;
console.log(
  `the drain published ${fmt(levelMessages)} level messages (levels + conflated): ${levelsPerRecord.toFixed(2)} per input record`,
);

// 4. Latency at a steady offered load, twice: against the drain's calculator as deployed by
// default (the exactly-once topic as a read_committed desk sees it), then restarted from its
// Redis state with FAST_LEVELS=true (the fast topic, and what publishing twice costs the other).
const definitions = readIndexDefinitions(datasetDir);
const symbols = [...new Set(definitions.flatMap((d) => d.constituents.map((c) => c.symbol)))].sort();
const levelSerdes = createAvroSerdes<IndexLevelRecord>(registry, topics.indexLevels);
const sequence = new Map<string, number>();
const prices = new Map(symbols.map((s, i) => [s, 1000 + i * 37]));
interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}
const percentiles = (values: number[]): Percentiles => {
  values.sort((a, b) => a - b);
  return { p50: percentile(values, 50), p99: percentile(values, 99), p999: percentile(values, 99.9) };
};

async function measureLatency(
  run: string,
  group: string,
  rate: number,
): Promise<{ offered: number; committed: Percentiles; fast: Percentiles; levels: number }> {
  const latencies: number[] = [];
  const fastLatencies: number[] = [];
  const levels = kafka.consumer({ groupId: `${prefix}desk-${run}`, readUncommitted: false });
  await levels.connect();
  await levels.subscribe({ topics: [topics.indexLevels, topics.indexLevelsFast], fromBeginning: false });
  let measureFrom = Number.POSITIVE_INFINITY;
  let measuring = true;
  await levels.run({
    eachBatch: async ({ batch }) => {
      if (!measuring) return;
      const into = batch.topic === topics.indexLevelsFast ? fastLatencies : latencies;
      for (const message of batch.messages) {
        const value = message.value as Buffer;
        const record = levelSerdes.deserializeKnown(value) ?? (await levelSerdes.deserialize(value));
        if (record.trigger === 'TICK' && record.eventTime >= measureFrom)
          into.push(Date.now() - record.eventTime);
      }
    },
  });
  // The calculator is ready once its consumer group is stable with a member.
  for (;;) {
    const [described] = (await admin.describeGroups([group])).groups;
    if (described?.state === 'Stable' && described.members.length > 0) break;
    await sleep(200);
  }
  // Input offered while this calculator was stopped must be drained first, or it is measured too.
  const until = await inputEnds();
  while (!(await committedAll(group, until))) await sleep(200);
  await sleep(1000);
  const total = rate * (SECONDS + WARMUP_SECONDS);
  const loadStart = Date.now() + 500;
  measureFrom = loadStart + WARMUP_SECONDS * 1000;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - loadStart) / 1000) * rate));
    if (due <= sent) {
      await sleep(2);
      continue;
    }
    const byTopic = new Map<string, Message[]>();
    for (; sent < due; sent += 1) {
      const symbol = symbols[sent % symbols.length]!;
      const cents = (prices.get(symbol) ?? 1000) + (sent % 7) - 3;
      prices.set(symbol, cents);
      // Feed sequences are derived from event time (ms × 1 000, as TimeSequencer numbers the
      // dataset), so the offered ticks continue the drained dataset's sequences instead of
      // being refused as out of order.
      const eventTime = loadStart + Math.floor((sent / rate) * 1000);
      const seq = Math.max((sequence.get(symbol) ?? 0) + 1, eventTime * 1000);
      sequence.set(symbol, seq);
      const market = marketOfSymbol(symbol)!;
      const topic = market === 'HK' ? topics.ticksHk : topics.ticksAshare;
      const record: MarketTickRecord = {
        symbol,
        market,
        currency: currencyOfSymbol(symbol)!,
        eventTime,
        sequence: seq,
        lastPrice: (cents / 100).toFixed(2),
        volume: '100',
        turnover: '0',
        bidPrice: null,
        askPrice: null,
        tradingPhase: 'CONTINUOUS',
      };
      const list = byTopic.get(topic) ?? [];
      list.push({ key: symbol, value: await serdesFor(topic).serialize(record) });
      byTopic.set(topic, list);
    }
    await producer.sendBatch({
      topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })),
    });
  }
  const offered = total / ((Date.now() - loadStart) / 1000);
  await sleep(3000);
  measuring = false;
  await levels.disconnect();
  return {
    offered,
    committed: percentiles(latencies),
    fast: percentiles(fastLatencies),
    levels: latencies.length,
  };
}

const show = (p: Percentiles) => `p50 ${p.p50} ms, p99 ${p.p99} ms, p99.9 ${p.p999} ms`;
// 6. The native client (librdkafka, KAFKA_CLIENT=native) on the same input, the kafkajs
// calculator stopped meanwhile: raw consume(n), a bare transactional consume → produce loop that
// publishes as many level messages per record as the drain did (the native transport bound), and
// a native calculator draining the same records from the start. BENCH_E2E_NATIVE=false skips it.
const NATIVE = process.env.BENCH_E2E_NATIVE !== 'false' && nativeKafkaAvailable();
const nativeGroupId = `indexflow-calculator-${prefix}bench-native`;
let nativeFigures: Record<string, number | ReturnType<typeof threadMicrosPerRecord>> | undefined;
type Latency = { offered: number; committed: Percentiles; fast: Percentiles; levels: number };
const nativeLatency: Record<string, { offered: number; exactlyOnceMs: Percentiles; fastMs: Percentiles }> =
  {};
if (NATIVE) {
  await stopCalculator();
  const nativeRawRate = await nativeRawConsume(KAFKA_BROKERS, `${prefix}native-raw`, inputTopics, records);
  console.log(`raw native consume(n) (no decoding): ${fmt(nativeRawRate)} records/s`);
  const loopTopic = `${prefix}bench.native-loop`;
  await admin.createTopics({ topics: [{ topic: loopTopic, numPartitions: 3, replicationFactor: 1 }] });
  const loop = await nativeConsumeProduceLoop({
    brokers: KAFKA_BROKERS,
    groupId: `${prefix}native-loop`,
    topics: inputTopics,
    records,
    outputTopic: loopTopic,
    samples: sampleMessages,
    levelsPerRecord,
    batchRecords: Number(process.env.BENCH_E2E_BATCH ?? 2000),
  });
  console.log(
    `bare native transactional consume → produce loop (no engine): ${fmt(loop.recordsPerSecond)} input records/s (${fmt(loop.messagesProduced)} messages); ratio ${(loop.recordsPerSecond / nativeRawRate).toFixed(3)} of raw native consume`,
  );
  const native = startCalculator({ KAFKA_CLIENT: 'native', CALCULATOR_ID: 'bench-native' }, true);
  const nativeDrain = await drained(nativeGroupId, native.pid);
  profiledDrains.push({ client: 'native', drain: nativeDrain.drain });
  const nativeSeconds = (Date.now() - nativeDrain.first) / 1000;
  const nativeCalcRate = records / nativeSeconds;
  const nativeCpu = processCpuSeconds(native.pid) - nativeDrain.cpuAtFirst;
  const nativeLoad = loadavg()[0]!;
  native.kill('SIGTERM');
  await new Promise((resolve) => native.on('exit', resolve));
  console.log(
    `native calculator drain: ${fmt(nativeCalcRate)} records/s (${((nativeCpu / records) * 1e6).toFixed(1)} µs CPU per record); calculator / raw native consume ${(nativeCalcRate / nativeRawRate).toFixed(3)}; calculator / bare native loop ${(nativeCalcRate / loop.recordsPerSecond).toFixed(3)}; native / kafkajs calculator ${(nativeCalcRate / calcRate).toFixed(2)}; 1-min load ${nativeLoad.toFixed(1)}`,
  );
  console.log(
    `native calculator CPU by thread during the drain: ${threadCpuLine(nativeDrain.drain.cpu, records)}`,
  );
  nativeFigures = {
    rawConsumeRecordsPerSecond: Math.round(nativeRawRate),
    bareConsumeProduceRecordsPerSecond: Math.round(loop.recordsPerSecond),
    calculatorRecordsPerSecond: Math.round(nativeCalcRate),
    calculatorToRawRatio: Number((nativeCalcRate / nativeRawRate).toFixed(4)),
    calculatorToBareLoopRatio: Number((nativeCalcRate / loop.recordsPerSecond).toFixed(4)),
    nativeToKafkajsCalculatorRatio: Number((nativeCalcRate / calcRate).toFixed(3)),
    calculatorCpuMicrosPerRecord: Number(((nativeCpu / records) * 1e6).toFixed(1)),
    calculatorThreadCpuMicrosPerRecord: threadMicrosPerRecord(nativeDrain.drain.cpu, records),
    loadAverage1mDrain: Number(nativeLoad.toFixed(1)),
  };
  // Its latency on both level topics at each rate, restarted from its state with FAST_LEVELS.
  const nativeFast = startCalculator({
    KAFKA_CLIENT: 'native',
    CALCULATOR_ID: 'bench-native',
    FAST_LEVELS: 'true',
  });
  for (const rate of RATES) {
    const measured: Latency = await measureLatency(`native-${rate}`, nativeGroupId, rate);
    nativeLatency[rate] = {
      offered: Math.round(measured.offered),
      exactlyOnceMs: measured.committed,
      fastMs: measured.fast,
    };
    console.log(
      `native calculator with FAST_LEVELS=true at ${fmt(measured.offered)} ticks/s: exactly-once topic ${show(measured.committed)}; fast topic ${show(measured.fast)}`,
    );
  }
  nativeFast.kill('SIGTERM');
  await new Promise((resolve) => nativeFast.on('exit', resolve));
}

// The kafkajs calculator at each rate: the exactly-once topic alone, then with FAST_LEVELS=true.
const kafkajsLatency: Record<
  string,
  { offered: number; exactlyOnceMs: Percentiles; fastMs: Percentiles; exactlyOnceBesideFastMs: Percentiles }
> = {};
for (const rate of RATES) {
  calculator ??= startCalculator({});
  const plain: Latency = await measureLatency(`default-${rate}`, groupId, rate);
  console.log(
    `kafkajs calculator at ${fmt(plain.offered)} ticks/s offered, exactly-once topic (${fmt(plain.levels)} levels): ${show(plain.committed)}`,
  );
  await stopCalculator();
  calculator = startCalculator({ FAST_LEVELS: 'true' });
  const withFast: Latency = await measureLatency(`fast-${rate}`, groupId, rate);
  console.log(
    `kafkajs calculator with FAST_LEVELS=true at ${fmt(withFast.offered)} ticks/s: fast topic ${show(withFast.fast)}; exactly-once topic ${show(withFast.committed)}`,
  );
  await stopCalculator();
  kafkajsLatency[rate] = {
    offered: Math.round(plain.offered),
    exactlyOnceMs: plain.committed,
    fastMs: withFast.fast,
    exactlyOnceBesideFastMs: withFast.committed,
  };
}

// 5. Produce ceiling: raw kafkajs transactional produce of the drain's own level messages (no
// engine, no encoding), in transactions of the size a 2,000-record batch publishes. With the raw
// consume rate this bounds what any single-threaded kafkajs calculator can reach on this machine:
// per input record it must consume one record and produce `levelsPerRecord` messages.
const ceilingTopic = `${prefix}bench.produce-ceiling`;
await admin.createTopics({ topics: [{ topic: ceilingTopic, numPartitions: 3, replicationFactor: 1 }] });
const ceilingProducer = kafka.producer({
  transactionalId: `${prefix}ceiling`,
  idempotent: true,
  maxInFlightRequests: 1,
  retry: { initialRetryTime: 5, maxRetryTime: 2_000, retries: 14 },
});
await ceilingProducer.connect();
const ceilingMessages = Math.min(levelMessages, 400_000);
const perTransaction = Math.max(1, Math.round(levelsPerRecord * 2000));
const produceStarted = Date.now();
for (let sentMessages = 0; sentMessages < ceilingMessages; ) {
  const count = Math.min(perTransaction, ceilingMessages - sentMessages);
  const messages = Array.from(
    { length: count },
    (_, i) => sampleMessages[(sentMessages + i) % sampleMessages.length]!,
  );
  const tx = await ceilingProducer.transaction();
  await tx.sendBatch({ topicMessages: [{ topic: ceilingTopic, messages }] });
  await tx.commit();
  sentMessages += count;
}
const rawProduceRate = ceilingMessages / ((Date.now() - produceStarted) / 1000);
await ceilingProducer.disconnect();
const ioBound = 1 / (1 / rawRate + levelsPerRecord / rawProduceRate);
console.log(
  `raw kafkajs transactional produce of level messages: ${fmt(rawProduceRate)} messages/s → consume + produce bound ${fmt(ioBound)} input records/s (ratio ${(ioBound / rawRate).toFixed(3)} of raw consume); calculator / bound: ${(calcRate / ioBound).toFixed(3)}`,
);
await producer.disconnect();
await admin.disconnect();
rmSync(datasetDir, { recursive: true, force: true });

// Where each profiled drain's CPU went (a profile is written when its calculator exits).
await stopCalculator();
const TARGET_RECORDS_PER_SECOND = 100_000;
const breakdowns: Partial<Record<'kafkajs' | 'native', ReturnType<typeof breakdownJson>>> = {};
for (const { client, drain } of PROFILE_DIR === undefined ? [] : profiledDrains) {
  const breakdown = drainBreakdown(PROFILE_DIR!, drain, TARGET_RECORDS_PER_SECOND);
  if (breakdown === undefined) {
    console.log(`${client} calculator drain: no CPU profile of process ${drain.pid} in ${PROFILE_DIR}`);
    continue;
  }
  for (const line of breakdownLines(`${client} calculator drain`, breakdown)) console.log(line);
  breakdowns[client] = breakdownJson(breakdown);
}
console.log(
  JSON.stringify({
    records,
    rawConsumeRecordsPerSecond: Math.round(rawRate),
    calculatorRecordsPerSecond: Math.round(calcRate),
    calculatorToRawRatio: Number((calcRate / rawRate).toFixed(4)),
    latencyByOfferedTicksPerSecond: kafkajsLatency,
    calculatorCpuMicrosPerRecord: Number(((calculatorCpuSeconds / records) * 1e6).toFixed(1)),
    calculatorThreadCpuMicrosPerRecord: threadMicrosPerRecord(kafkajsDrain.cpu, records),
    levelMessagesPerRecord: Number(levelsPerRecord.toFixed(3)),
    rawProduceLevelMessagesPerSecond: Math.round(rawProduceRate),
    consumeProduceBoundRecordsPerSecond: Math.round(ioBound),
    calculatorToBoundRatio: Number((calcRate / ioBound).toFixed(4)),
    loadAverage1m: { start: Number(loadAtStart.toFixed(1)), drain: Number(loadDuringDrain.toFixed(1)) },
    ...(breakdowns.kafkajs === undefined ? {} : { cpuBreakdown: breakdowns.kafkajs }),
    ...(nativeFigures === undefined
      ? {}
      : {
          native: {
            ...nativeFigures,
            latencyByOfferedTicksPerSecond: nativeLatency,
            ...(breakdowns.native === undefined ? {} : { cpuBreakdown: breakdowns.native }),
          },
        }),
  }),
);
process.exit(0);
