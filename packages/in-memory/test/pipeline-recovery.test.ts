import { datasetEvents, formatLevelRow, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexEvent } from '@indexflow/index-engine';
import { createPipelineStats, recoverEngine, runPipeline } from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const CONFLATION_MS = 60_000;
const definitions = readIndexDefinitions(SAMPLE_DIR);
const events: IndexEvent[] = [...datasetEvents(SAMPLE_DIR, () => {})];

/** Runs the calculator loop until the input is drained or `crashAfterBatches` batches committed. */
async function runOnce(
  sink: InMemoryLevelSink,
  state: InMemoryStateStore,
  batchSize: number,
  crashAfterBatches: number,
) {
  const source = new InMemoryEventSource(events);
  const recovery = await recoverEngine({ definitions, engineOptions: {}, sink, state, logger });
  await source.start(recovery.from);
  const stats = createPipelineStats();
  let batches = 0;
  await runPipeline({
    engine: recovery.engine,
    source,
    sink,
    state,
    stats,
    logger,
    batchSize,
    batchWaitMs: 0,
    startVersion: recovery.version,
    alreadyPublished: recovery.alreadyPublished,
    isStopping: () => source.exhausted || batches >= crashAfterBatches,
    // One batch per transaction, so `crashAfterBatches` stops part-way through the input.
    maxPendingBatches: 1,
    conflationIntervalMs: CONFLATION_MS,
    onCommitted: () => {
      batches += 1;
    },
  });
  return { drained: source.exhausted, stats };
}

async function referenceRun(): Promise<InMemoryLevelSink> {
  const sink = new InMemoryLevelSink();
  await runOnce(sink, new InMemoryStateStore(), 500, Number.POSITIVE_INFINITY);
  return sink;
}

async function reference(): Promise<string[]> {
  return (await referenceRun()).levels.map(formatLevelRow);
}

describe('pipeline recovery (in-memory ports)', () => {
  it('publishes the same gap-free levels as offline replay ordering, once', async () => {
    const rows = await reference();
    expect(rows.length).toBeGreaterThan(10_000);
    const perIndex = new Map<string, number>();
    for (const row of rows) {
      const [, index, , sequence] = row.split(',');
      const expected = (perIndex.get(index!) ?? 0) + 1;
      expect(Number(sequence)).toBe(expected);
      perIndex.set(index!, expected);
    }
  });

  it('crashes at any step (inside the transaction, before promote, between batches) change nothing published', async () => {
    const expected = await reference();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            after: fc.integer({ min: 0, max: 6 }),
            how: fc.constantFrom('abort', 'lost-promote', 'stop'),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 50, max: 900 }),
        async (crashes, batchSize) => {
          const sink = new InMemoryLevelSink();
          const state = new InMemoryStateStore();
          for (const crash of crashes) {
            if (crash.how === 'abort') sink.failNext = false;
            try {
              const limit = crash.after;
              // Arm the failure for the batch after `limit` committed batches.
              const { drained } = await runOnce(sink, state, batchSize, limit);
              if (drained) break;
              if (crash.how === 'abort') sink.failNext = true;
              if (crash.how === 'lost-promote') state.failNextPromote = true;
              await runOnce(sink, state, batchSize, 1);
            } catch {
              // The process died; the next loop iteration is the restart.
            }
          }
          sink.failNext = false;
          state.failNextPromote = false;
          await runOnce(sink, state, batchSize, Number.POSITIVE_INFINITY);
          expect(sink.levels.map(formatLevelRow)).toEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
    // 1.5 s on a quiet machine, 12 s at load 16: the bound only catches a hang.
  }, 60_000);

  it('rebuilds from the start of the input when the state store lost everything, without republishing', async () => {
    const expected = await reference();
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await runOnce(sink, state, 400, 7);
    state.wipe();
    const { stats } = await runOnce(sink, state, 400, Number.POSITIVE_INFINITY);
    expect(stats.levelsSuppressed).toBeGreaterThan(0);
    expect(sink.levels.map(formatLevelRow)).toEqual(expected);
  });

  it('resumes from an older snapshot (a store restored from a file written before its last commits), without republishing', async () => {
    const expected = await reference();
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await runOnce(sink, state, 400, 3);
    const older = structuredClone(state.committed);
    await runOnce(sink, state, 400, 6);
    // Redis restarted from an AOF or RDB written after batch 3: Kafka has committed batch 9.
    state.committed = older;
    const { stats } = await runOnce(sink, state, 400, Number.POSITIVE_INFINITY);
    // Only the six batches after the older snapshot were recomputed, not the whole day.
    expect(stats.levelsSuppressed).toBeGreaterThan(0);
    expect(stats.levelsSuppressed).toBeLessThan(expected.length / 2);
    expect(sink.levels.map(formatLevelRow)).toEqual(expected);
  });

  it('rebuilds from the start when the snapshot is ahead of what Kafka committed, keeping its version line', async () => {
    const expected = await reference();
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await runOnce(sink, state, 400, 5);
    const committed = state.committed!;
    const [key, offset] = Object.entries(committed.offsets)[0]!;
    // A snapshot past Kafka's offsets (another writer's, or a hand edit): nothing can replay to it.
    state.committed = {
      ...committed,
      offsets: { ...committed.offsets, [key]: String(BigInt(offset) + 1000n) },
    };
    await runOnce(sink, state, 400, Number.POSITIVE_INFINITY);
    expect(state.committed!.version).toBeGreaterThan(committed.version);
    expect(sink.levels.map(formatLevelRow)).toEqual(expected);
  });

  it('conflates to the first level of each index in each minute of event time, the same after crashes', async () => {
    const whole = await referenceRun();
    const bucket = (t: number) => Math.floor(t / CONFLATION_MS);
    const expected = new Map<string, string>();
    for (const level of whole.levels) {
      const key = `${level.indexId}|${bucket(level.eventTime)}`;
      if (!expected.has(key)) expected.set(key, formatLevelRow(level));
    }
    expect(whole.conflated.map(formatLevelRow)).toEqual([...expected.values()]);
    expect(whole.conflated.length).toBeLessThan(whole.levels.length / 5);

    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await runOnce(sink, state, 300, 5);
    sink.failNext = true;
    await runOnce(sink, state, 300, 1).catch(() => {});
    await runOnce(sink, state, 300, 4);
    state.wipe();
    await runOnce(sink, state, 300, Number.POSITIVE_INFINITY);
    expect(sink.conflated.map(formatLevelRow)).toEqual(whole.conflated.map(formatLevelRow));
  });
});
