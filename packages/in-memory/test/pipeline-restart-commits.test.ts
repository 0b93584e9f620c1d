import { datasetEvents, formatLevelRow, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexEvent } from '@indexflow/index-engine';
import {
  createPipelineStats,
  type InputOffsets,
  type OutputTransaction,
  recoverEngine,
  runPipeline,
} from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const definitions = readIndexDefinitions(SAMPLE_DIR);
const events: IndexEvent[] = [...datasetEvents(SAMPLE_DIR, () => {})];

/** An in-memory sink that also keeps the offsets of every transaction, in commit order. */
class RecordingSink extends InMemoryLevelSink {
  readonly committed: InputOffsets[] = [];
  override async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await super.commit(transaction, staged);
    this.committed.push(transaction.offsets);
  }
}

/** Recovers, then runs the loop for `polls` batches, or until the input is drained when unbounded. */
async function run(
  sink: RecordingSink,
  state: InMemoryStateStore,
  input: readonly IndexEvent[],
  polls: number,
) {
  const source = new InMemoryEventSource(input);
  const recovery = await recoverEngine({ definitions, engineOptions: {}, sink, state, logger });
  await source.start(recovery.from);
  let calls = 0;
  const counted = {
    start: source.start.bind(source),
    close: source.close.bind(source),
    nextBatch: (max: number) => {
      calls += 1;
      return source.nextBatch(max);
    },
  };
  await runPipeline({
    engine: recovery.engine,
    source: counted,
    sink,
    state,
    stats: createPipelineStats(),
    logger,
    batchSize: 300,
    batchWaitMs: 0,
    startVersion: recovery.version,
    startOffsets: recovery.from,
    alreadyPublished: recovery.alreadyPublished,
    // `polls` bounds a run over input that is already drained; otherwise stop once drained.
    isStopping: () => calls >= polls || (polls === Number.POSITIVE_INFINITY && source.exhausted),
  });
}

const offsetOf = (offsets: InputOffsets) => Number(Object.values(offsets)[0]);

describe('pipeline commits across restarts (in-memory ports)', () => {
  it('commits no transaction when a restarted loop has no new input', async () => {
    const sink = new RecordingSink();
    const state = new InMemoryStateStore();
    await run(sink, state, events, Number.POSITIVE_INFINITY);
    const before = sink.committed.length;
    expect(before).toBeGreaterThan(0);
    await run(sink, state, events, 5);
    expect(sink.committed.length).toBe(before);
  });

  it('never moves the committed offsets back while rebuilding lost state, and publishes nothing twice', async () => {
    const reference = new RecordingSink();
    await run(reference, new InMemoryStateStore(), events, Number.POSITIVE_INFINITY);

    const sink = new RecordingSink();
    const half = Math.floor(events.length / 2);
    await run(sink, new InMemoryStateStore(), events.slice(0, half), Number.POSITIVE_INFINITY);
    const committedBefore = offsetOf(sink.committed.at(-1)!);
    const commitsBefore = sink.committed.length;
    // State lost (a fresh store): the engine is rebuilt from the start of the input.
    await run(sink, new InMemoryStateStore(), events, Number.POSITIVE_INFINITY);
    const rebuilt = sink.committed.slice(commitsBefore);
    expect(rebuilt.length).toBeGreaterThan(0);
    for (const offsets of rebuilt) expect(offsetOf(offsets)).toBeGreaterThanOrEqual(committedBefore);
    expect(sink.levels.map(formatLevelRow)).toEqual(reference.levels.map(formatLevelRow));
  });
});
