/**
 * `pnpm bench:engine`: engine throughput on one core, printed as figures and, on the last line,
 * one JSON object. The float64 loop does the same arithmetic per tick (market-value update and
 * level division per affected index) so the ratio shows what exact decimals cost, in one run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import {
  type ContributionsMode,
  createIndexEngine,
  type IndexDefinition,
  type IndexLevel,
  type TickEvent,
} from '@indexflow/index-engine';
import { levelToRecord, loadSchemaFile } from '@indexflow/kafka';
import { loadSeedIndexDefinitions } from '@indexflow/seed-indices';
import avro from 'avsc';
import { makeTicks, marketScale } from './bench-data.js';

const START = Date.parse('2025-03-20T09:30:00+08:00');
const SEED_TICKS = Number(process.env.BENCH_SEED_TICKS ?? 1_000_000);
const MARKET_TICKS = Number(process.env.BENCH_MARKET_TICKS ?? 200_000);
const REPLAY_TICKS = Number(process.env.BENCH_REPLAY_TICKS ?? 1_000_000);

function primeAndRun(
  definitions: IndexDefinition[],
  ticks: TickEvent[],
  contributions: ContributionsMode = 'none',
  onLevel?: (level: IndexLevel) => void,
): { ticksPerSecond: number; levels: number } {
  const engine = createIndexEngine(definitions, { contributions });
  engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.9230', eventTime: START - 2 });
  for (const d of definitions)
    for (const c of d.constituents)
      engine.apply({ kind: 'tick', symbol: c.symbol, price: '10.00', eventTime: START - 1 });
  let levels = 0;
  const t0 = performance.now();
  if (onLevel === undefined) for (const tick of ticks) levels += engine.apply(tick).levels.length;
  else
    for (const tick of ticks) {
      const out = engine.apply(tick).levels;
      levels += out.length;
      for (const level of out) onLevel(level);
    }
  const seconds = (performance.now() - t0) / 1000;
  return { ticksPerSecond: ticks.length / seconds, levels };
}

/** The same per-tick arithmetic in float64: what exactness is measured against. */
function floatLoop(definitions: IndexDefinition[], ticks: TickEvent[]): number {
  const routes = new Map<string, Array<{ index: number; slot: number }>>();
  const shares: Float64Array[] = [];
  const prices: Float64Array[] = [];
  const mv = new Float64Array(definitions.length);
  const divisor = new Float64Array(definitions.length);
  const level = new Float64Array(definitions.length);
  definitions.forEach((d, k) => {
    shares.push(Float64Array.from(d.constituents.map((c) => Number(c.shares))));
    prices.push(new Float64Array(d.constituents.length).fill(10));
    d.constituents.forEach((c, slot) => {
      const list = routes.get(c.symbol) ?? [];
      list.push({ index: k, slot });
      routes.set(c.symbol, list);
    });
    mv[k] = shares[k]!.reduce((s, q) => s + 10 * q, 0);
    divisor[k] = mv[k]! / 1000;
  });
  const t0 = performance.now();
  for (const tick of ticks) {
    const price = Number(tick.price);
    const list = routes.get(tick.symbol);
    if (!list) continue;
    for (const { index, slot } of list) {
      const p = prices[index]!;
      const q = shares[index]![slot]!;
      mv[index] = mv[index]! + (price - p[slot]!) * q;
      p[slot] = price;
      level[index] = mv[index]! / divisor[index]!;
    }
  }
  return ticks.length / ((performance.now() - t0) / 1000);
}

function writeReplayDataset(definitions: IndexDefinition[], ticks: TickEvent[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-bench-'));
  mkdirSync(join(dir, 'indices'));
  for (const d of definitions) writeFileSync(join(dir, 'indices', `${d.id}.json`), JSON.stringify(d));
  const rows = ['ts,symbol,price'];
  for (const t of ticks) rows.push(`${t.eventTime},${t.symbol},${t.price}`);
  writeFileSync(join(dir, 'ticks.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'fx.csv'), `ts,pair,rate\n${START - 10},HKDCNY,0.9230\n`);
  return dir;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const seedDefinitions: IndexDefinition[] = [...loadSeedIndexDefinitions()];
const seedSymbols = [...new Set(seedDefinitions.flatMap((d) => d.constituents.map((c) => c.symbol)))];
const seedTicks = makeTicks(seedSymbols, SEED_TICKS, 1, START);
// Warm-up so both loops are measured after JIT compilation.
primeAndRun(seedDefinitions, seedTicks.slice(0, 50_000));
floatLoop(seedDefinitions, seedTicks.slice(0, 50_000));
const seed = primeAndRun(seedDefinitions, seedTicks);
const seedFloat = floatLoop(seedDefinitions, seedTicks);
console.log(
  `seed indices (3 indices, ${seedSymbols.length} symbols): ${fmt(seed.ticksPerSecond)} ticks/s decimal, ${fmt(seedFloat)} ticks/s float64, ratio ${(seed.ticksPerSecond / seedFloat).toFixed(3)}`,
);

// The calculator's per-record CPU without Kafka: engine, level record and its Avro body, with the
// level records carrying no constituents and carrying the ones each tick moved (LEVEL_CONSTITUENTS).
const levelType = avro.Type.forSchema(JSON.parse((await loadSchemaFile('index-level')).schema));
let recordBytes = 0;
const toAvro = (level: IndexLevel) => {
  recordBytes += levelType.toBuffer(levelToRecord(level)).length;
};
const recordTicks = seedTicks.slice(0, 200_000);
const recordRuns: Record<string, { microsPerLevel: number; bytesPerLevel: number }> = {};
for (const mode of ['none', 'moved', 'none', 'moved'] as const) {
  recordBytes = 0;
  const run = primeAndRun(seedDefinitions, recordTicks, mode, toAvro);
  // The second run of each mode is the measured one (the first warms the JIT).
  recordRuns[mode] = {
    microsPerLevel: (recordTicks.length / run.ticksPerSecond / run.levels) * 1e6,
    bytesPerLevel: recordBytes / run.levels,
  };
}
for (const [mode, r] of Object.entries(recordRuns))
  console.log(
    `level records, seed indices, LEVEL_CONSTITUENTS=${mode}: ${r.microsPerLevel.toFixed(2)} µs CPU per level (engine + record + Avro), ${r.bytesPerLevel.toFixed(0)} Avro bytes per level`,
  );

const market = marketScale(7);
const marketTicks = makeTicks(market.symbols, MARKET_TICKS, 2, START);
primeAndRun(market.definitions, marketTicks.slice(0, 10_000));
const marketDecimal = primeAndRun(market.definitions, marketTicks);
const marketFloat = floatLoop(market.definitions, marketTicks);
console.log(
  `market scale (5,000 symbols, 1,000 indices × 50): ${fmt(marketDecimal.ticksPerSecond)} ticks/s decimal (${fmt((marketDecimal.levels / MARKET_TICKS) * marketDecimal.ticksPerSecond)} levels/s), ${fmt(marketFloat)} ticks/s float64, ratio ${(marketDecimal.ticksPerSecond / marketFloat).toFixed(3)}`,
);

const replayDir = writeReplayDataset(seedDefinitions, makeTicks(seedSymbols, REPLAY_TICKS, 3, START));
let rows = 0;
const summary = await replayDataset(replayDir, {
  onLevel: () => {
    rows += 1;
  },
});
rmSync(replayDir, { recursive: true, force: true });
const replayRate = summary.ticks / (summary.durationMs / 1000);
console.log(
  `offline replay (${fmt(summary.ticks)}-tick CSV, seed indices): ${fmt(replayRate)} ticks/s, ${fmt(rows)} levels`,
);

console.log(
  JSON.stringify({
    seedTicksPerSecond: Math.round(seed.ticksPerSecond),
    seedFloat64TicksPerSecond: Math.round(seedFloat),
    seedDecimalToFloatRatio: Number((seed.ticksPerSecond / seedFloat).toFixed(4)),
    marketTicksPerSecond: Math.round(marketDecimal.ticksPerSecond),
    marketFloat64TicksPerSecond: Math.round(marketFloat),
    marketDecimalToFloatRatio: Number((marketDecimal.ticksPerSecond / marketFloat).toFixed(4)),
    replayTicksPerSecond: Math.round(replayRate),
    replayTicks: summary.ticks,
    levelRecordMicrosNone: Number(recordRuns.none!.microsPerLevel.toFixed(3)),
    levelRecordMicrosMoved: Number(recordRuns.moved!.microsPerLevel.toFixed(3)),
    levelRecordBytesNone: Math.round(recordRuns.none!.bytesPerLevel),
    levelRecordBytesMoved: Math.round(recordRuns.moved!.bytesPerLevel),
  }),
);
