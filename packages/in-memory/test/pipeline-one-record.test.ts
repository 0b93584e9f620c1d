// One record can never stop the pipeline: an engine throw, a level too large to publish and a
// poison pill each become a dead letter, and the other records' levels are unchanged.
import { datasetEvents, formatLevelRow, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexEvent, IndexLevel } from '@indexflow/index-engine';
import {
  createPipelineStats,
  DETAIL_CHARS,
  type OutputTransaction,
  type PipelineDeps,
  recoverEngine,
  runPipeline,
} from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const definitions = readIndexDefinitions(SAMPLE_DIR);
const events: IndexEvent[] = [...datasetEvents(SAMPLE_DIR, () => {})];

class RecordingSink extends InMemoryLevelSink {
  readonly transactions: OutputTransaction[] = [];
  override async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await super.commit(transaction, staged);
    this.transactions.push(transaction);
  }
}

type Extra = Partial<
  Pick<
    PipelineDeps,
    'levelGuard' | 'isolatedRecords' | 'onIsolationDone' | 'poisonFirstEvent' | 'onPoisonPill'
  >
>;

async function run(input: readonly IndexEvent[], extra: Extra = {}, wrapApply?: (e: IndexEvent) => void) {
  const sink = new RecordingSink();
  const state = new InMemoryStateStore();
  const source = new InMemoryEventSource(input);
  const recovery = await recoverEngine({ definitions, engineOptions: {}, sink, state, logger });
  if (wrapApply) {
    const apply = recovery.engine.apply.bind(recovery.engine);
    recovery.engine.apply = (event) => {
      wrapApply(event);
      return apply(event);
    };
  }
  await source.start(recovery.from);
  await runPipeline({
    engine: recovery.engine,
    source,
    sink,
    state,
    stats: createPipelineStats(),
    logger,
    batchSize: 250,
    batchWaitMs: 0,
    startVersion: recovery.version,
    startOffsets: recovery.from,
    alreadyPublished: recovery.alreadyPublished,
    isStopping: () => source.exhausted,
    ...extra,
  });
  return sink;
}

/** Levels as the offline replay prints them. */
const rows = (levels: readonly IndexLevel[]) => levels.map(formatLevelRow);
const tickAt = (n: number) => events.findIndex((e, i) => i >= n && e.kind === 'tick');

describe('runPipeline with a record that would stop the service', () => {
  it('dead-letters an event the engine throws on, with the error cut to 200 chars, and goes on', async () => {
    const bad = tickAt(100);
    const sink = await run(events, {}, (event) => {
      if (event === events[bad]) throw new RangeError(`exploded on ${'9'.repeat(5000)}`);
    });
    const clean = await run(events.filter((_, i) => i !== bad));
    expect(rows(sink.levels)).toEqual(rows(clean.levels));
    const letters = sink.deadLetters.filter((r) => r.reason === 'engine_error');
    expect(letters.map((r) => r.offset)).toEqual([String(bad)]);
    expect(letters[0]!.detail.startsWith('RangeError: exploded on 999')).toBe(true);
    expect(letters[0]!.detail.length).toBe(DETAIL_CHARS);
  });

  it('refuses the levels the guard refuses and dead-letters their record as level_too_large', async () => {
    const bad = tickAt(200);
    let refusedIndex = '';
    const sink = await run(events, {
      levelGuard: (level) => {
        if (
          level.eventTime !== events[bad]!.eventTime ||
          (refusedIndex !== '' && level.indexId !== refusedIndex)
        )
          return null;
        refusedIndex = level.indexId;
        return 'record of 700000 bytes; at most 1000000 fit';
      },
    });
    const all = await run(events);
    const refused = all.levels.filter(
      (l) => l.eventTime === events[bad]!.eventTime && l.indexId === refusedIndex,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(rows(sink.levels)).toEqual(rows(all.levels.filter((l) => !refused.includes(l))));
    const letters = sink.deadLetters.filter((r) => r.reason === 'level_too_large');
    expect(letters.length).toBeGreaterThan(0);
    expect(letters[0]!.detail).toContain(`level of ${refusedIndex} refused: record of 700000 bytes`);
  });

  it('commits the isolated records one per transaction, then batches again', async () => {
    let done = 0;
    const sink = await run(events, { isolatedRecords: 5, onIsolationDone: () => (done += 1) });
    const sizes = sink.transactions.map((t) => Number(Object.values(t.offsets)[0]));
    expect(sizes.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(sizes[5]).toBeGreaterThan(6);
    expect(done).toBe(1);
    expect(rows(sink.levels)).toEqual(rows((await run(events)).levels));
  });

  it('dead-letters the first event as poison_pill without applying it', async () => {
    const pills: string[] = [];
    let applied = 0;
    const sink = await run(
      events,
      {
        poisonFirstEvent: { detail: 'crashed the service 3 times at in-memory:0@0' },
        onPoisonPill: (record) => pills.push(record.offset),
      },
      (event) => {
        if (event === events[0]) applied += 1;
      },
    );
    expect(applied).toBe(0);
    expect(pills).toEqual(['0']);
    expect(sink.transactions[0]!.rejected).toMatchObject([
      { reason: 'poison_pill', offset: '0', detail: 'crashed the service 3 times at in-memory:0@0' },
    ]);
    expect(sink.transactions[0]!.offsets).toEqual({ 'in-memory:0': '1' });
    expect(rows(sink.levels)).toEqual(rows((await run(events.slice(1))).levels));
  });
});
