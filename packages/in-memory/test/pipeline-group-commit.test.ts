import { datasetEvents, formatLevelRow, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexEvent, IndexLevel } from '@indexflow/index-engine';
import {
  createPipelineStats,
  type FastLane,
  type InputOffsets,
  type OutputTransaction,
  recoverEngine,
  runPipeline,
  type StateSnapshot,
} from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const definitions = readIndexDefinitions(SAMPLE_DIR);
const events: IndexEvent[] = [...datasetEvents(SAMPLE_DIR, () => {})];
const BATCH = 250;

/** A sink whose transactions take a few ms, as Kafka's do, so the engine runs ahead of them. */
class SlowSink extends InMemoryLevelSink {
  readonly transactions: OutputTransaction[] = [];
  /** Fails the transaction with this (1-based) number, once. */
  failAt = 0;
  override async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 3));
    if (this.transactions.length + 1 === this.failAt) {
      this.failAt = 0;
      throw new Error('injected failure: transaction aborted');
    }
    await super.commit(transaction, staged);
    this.transactions.push(transaction);
  }
}

/** A state store that keeps every snapshot it was asked to stage. */
class RecordingState extends InMemoryStateStore {
  readonly staged: StateSnapshot[] = [];
  override async stage(snapshot: StateSnapshot): Promise<void> {
    this.staged.push(structuredClone(snapshot));
    await super.stage(snapshot);
  }
}

async function run(
  sink: SlowSink,
  state: InMemoryStateStore,
  options: { stopAfterBatches?: number; maxPendingBatches?: number; fastLane?: FastLane } = {},
) {
  const source = new InMemoryEventSource(events);
  const recovery = await recoverEngine({ definitions, engineOptions: {}, sink, state, logger });
  await source.start(recovery.from);
  let batches = 0;
  const counted = {
    start: source.start.bind(source),
    close: source.close.bind(source),
    nextBatch: (max: number) => {
      batches += 1;
      return source.nextBatch(max);
    },
  };
  const stats = createPipelineStats();
  await runPipeline({
    engine: recovery.engine,
    source: counted,
    sink,
    state,
    stats,
    logger,
    batchSize: BATCH,
    batchWaitMs: 0,
    startVersion: recovery.version,
    startOffsets: recovery.from,
    alreadyPublished: recovery.alreadyPublished,
    isStopping: () => source.exhausted || batches >= (options.stopAfterBatches ?? Number.POSITIVE_INFINITY),
    ...(options.maxPendingBatches ? { maxPendingBatches: options.maxPendingBatches } : {}),
    ...(options.fastLane ? { fastLane: options.fastLane } : {}),
  });
  return { stats, read: Number(Object.values((await source.nextBatch(0)).nextOffsets)[0]) };
}

/** The engine snapshot after the first `count` events, computed with no pipeline at all. */
async function engineAfter(count: number): Promise<unknown> {
  const { engine } = await recoverEngine({
    definitions,
    engineOptions: {},
    sink: new InMemoryLevelSink(),
    state: new InMemoryStateStore(),
    logger,
  });
  for (const event of events.slice(0, count)) engine.apply(event);
  return structuredClone(engine.snapshot());
}

const offsetOf = (offsets: InputOffsets) => Number(Object.values(offsets)[0]);

describe('pipeline group commit (in-memory ports)', () => {
  it('commits the batches computed during a transaction together, with a snapshot at their offsets', async () => {
    const reference = new SlowSink();
    await run(reference, new InMemoryStateStore(), { maxPendingBatches: 1 });

    const sink = new SlowSink();
    const state = new RecordingState();
    const { stats } = await run(sink, state);
    const batches = Math.ceil(events.length / BATCH);
    // The engine ran ahead of the slow transactions, so several batches shared each one.
    expect(sink.transactions.length).toBeLessThan(batches / 2);
    expect(stats.batches).toBe(sink.transactions.length);
    expect(stats.events).toBe(events.length);
    expect(sink.levels.map(formatLevelRow)).toEqual(reference.levels.map(formatLevelRow));
    // Every staged snapshot is the engine exactly at the offsets staged with it.
    expect(state.staged.length).toBe(sink.transactions.length);
    for (const i of [0, 1, Math.floor(state.staged.length / 2), state.staged.length - 1]) {
      const staged = state.staged[i]!;
      expect(staged.engine).toEqual(await engineAfter(offsetOf(staged.offsets)));
    }
  });

  it('stops at the first failed transaction, commits nothing after it, and recovers to the same levels', async () => {
    const reference = new SlowSink();
    await run(reference, new InMemoryStateStore());

    const sink = new SlowSink();
    const state = new InMemoryStateStore();
    sink.failAt = 3;
    await expect(run(sink, state)).rejects.toThrow('injected failure');
    expect(sink.transactions.length).toBe(2);
    const committed = offsetOf((await sink.committedOffsets())!);
    expect(committed).toBeLessThan(events.length);

    await run(sink, state);
    expect(sink.levels.map(formatLevelRow)).toEqual(reference.levels.map(formatLevelRow));
  });

  it('commits every computed batch before returning when asked to stop', async () => {
    const sink = new SlowSink();
    const { read } = await run(sink, new InMemoryStateStore(), { stopAfterBatches: 12 });
    expect(read).toBe(12 * BATCH);
    expect(offsetOf((await sink.committedOffsets())!)).toBe(read);
  });
});

describe('pipeline stage during the transaction (in-memory ports)', () => {
  it('fails without committing when the state cannot be staged', async () => {
    class RefusingState extends InMemoryStateStore {
      stages = 0;
      override async stage(snapshot: StateSnapshot): Promise<void> {
        this.stages += 1;
        if (this.stages === 2) throw new Error('stage refused: version conflict');
        await super.stage(snapshot);
      }
    }
    const sink = new SlowSink();
    const state = new RefusingState();
    await expect(run(sink, state)).rejects.toThrow('stage refused');
    expect(sink.transactions.length).toBe(1);
    expect(offsetOf((await sink.committedOffsets())!)).toBe(offsetOf(sink.transactions[0]!.offsets));
  });
});

describe('pipeline fast lane (in-memory ports)', () => {
  /** A fast lane that acknowledges in order after a delay; after a refusal it refuses everything. */
  class DelayedLane implements FastLane {
    readonly acknowledged: IndexLevel[] = [];
    failOnCall = 0;
    #calls = 0;
    #tail: Promise<void> = Promise.resolve();
    publish(levels: readonly IndexLevel[]): Promise<void> {
      this.#calls += 1;
      const call = this.#calls;
      this.#tail = this.#tail.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (call === this.failOnCall) throw new Error('fast lane refused');
        this.acknowledged.push(...levels);
      });
      return this.#tail;
    }

    /** A new producer after the restart: the refusal is over. */
    reset(): void {
      this.failOnCall = 0;
      this.#tail = Promise.resolve();
    }
  }

  /** A sink that checks, at each commit, that the fast lane already has every level it commits. */
  class CheckingSink extends SlowSink {
    constructor(private readonly lane: DelayedLane) {
      super();
    }
    override async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
      expect(this.lane.acknowledged.length).toBeGreaterThanOrEqual(
        this.levels.length + transaction.levels.length,
      );
      await super.commit(transaction, staged);
    }
  }

  const runWithLane = (sink: SlowSink, state: InMemoryStateStore, lane: DelayedLane) =>
    run(sink, state, { fastLane: lane });

  it('publishes every level to the fast lane, in order, before the transaction that commits it', async () => {
    const lane = new DelayedLane();
    const sink = new CheckingSink(lane);
    await runWithLane(sink, new InMemoryStateStore(), lane);
    expect(lane.acknowledged.map(formatLevelRow)).toEqual(sink.levels.map(formatLevelRow));
  });

  it('stops without committing a batch whose fast levels were refused, and repeats only identical levels after', async () => {
    const lane = new DelayedLane();
    lane.failOnCall = 4;
    const sink = new CheckingSink(lane);
    const state = new InMemoryStateStore();
    await expect(runWithLane(sink, state, lane)).rejects.toThrow('fast lane refused');
    const committedLevels = sink.levels.length;
    expect(lane.acknowledged.length).toBeGreaterThanOrEqual(committedLevels);

    lane.reset();
    await runWithLane(sink, state, lane);
    const published = new Map<string, string>();
    for (const row of lane.acknowledged.map(formatLevelRow)) {
      const [, index, , sequence] = row.split(',');
      expect(published.get(`${index}#${sequence}`) ?? row).toBe(row);
      published.set(`${index}#${sequence}`, row);
    }
    expect([...published.values()].sort()).toEqual(sink.levels.map(formatLevelRow).sort());
  });
});
