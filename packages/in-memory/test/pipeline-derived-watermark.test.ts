import type { IndexEvent } from '@indexflow/index-engine';
import {
  createPipelineStats,
  type EventBatch,
  type EventProcessor,
  type EventSource,
  type InputOffsets,
  type InputWatermark,
  type ProcessorResult,
  recoverProcessor,
  runPipeline,
  type SourcedEvent,
} from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import { InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const KEY = 'raw:0';

/** Derives one event per FX quote (its rate doubled's text), refuses pair `BAD`; state = count. */
class Doubler implements EventProcessor {
  constructor(public count = 0) {}
  apply(event: IndexEvent): ProcessorResult {
    if (event.kind !== 'fx-rate') throw new Error('fx only');
    if (event.pair === 'BAD')
      return { levels: [], rejections: [{ reason: 'unknown_fx_pair', detail: 'BAD', eventTime: 0 }] };
    this.count += 1;
    const derived: IndexEvent = {
      ...event,
      rate: String(Number(event.rate) * 2),
      observationId: `n${this.count}`,
    };
    return { levels: [], rejections: [], derived: [derived] };
  }
  snapshot(): unknown {
    return { count: this.count };
  }
}

const quote = (offset: number, time: number, pair = 'HKDCNY'): SourcedEvent => ({
  event: {
    kind: 'fx-rate',
    pair,
    rate: String(offset + 1),
    eventTime: time,
    position: { source: KEY, offset },
  },
  topic: 'raw',
  partition: 0,
  offset: String(offset),
  key: null,
  value: null,
  receivedAt: 0,
});

const mark = (time: number, offset: number, final = false): InputWatermark => ({
  time,
  final,
  records: { [KEY]: String(offset) },
});

/**
 * Replays a fixed script of records from any start offset, cut into the given batch sizes, with
 * the watermark each record position would have (the last watermark record passed, if any).
 */
class ScriptedSource implements EventSource {
  readonly #records: readonly ({ quote: SourcedEvent } | { mark: InputWatermark })[];
  readonly #sizes: number[];
  #at = 0;
  batches = 0;
  #passed: InputWatermark | undefined;
  constructor(records: readonly ({ quote: SourcedEvent } | { mark: InputWatermark })[], sizes: number[]) {
    this.#records = records;
    this.#sizes = [...sizes];
  }
  get exhausted(): boolean {
    return this.#at >= this.#records.length;
  }
  async start(from: InputOffsets | null): Promise<void> {
    this.#at = Number(from?.[KEY] ?? 0);
  }
  async nextBatch(): Promise<EventBatch> {
    const take = this.#sizes.shift() ?? 1;
    this.batches += 1;
    const events: SourcedEvent[] = [];
    const end = Math.min(this.#records.length, this.#at + take);
    for (; this.#at < end; this.#at += 1) {
      const record = this.#records[this.#at]!;
      if ('quote' in record) events.push(record.quote);
      else this.#passed = record.mark;
    }
    const batch = { events, undecodable: [], nextOffsets: { [KEY]: String(this.#at) } };
    return this.#passed === undefined ? batch : { ...batch, watermark: this.#passed };
  }
  async close(): Promise<void> {}
}

// Offsets: 0 q, 1 q, 2 mark 200, 3 q(BAD), 4 q, 5 mark 400, 6 q, 7 mark 500 final.
const script = [
  { quote: quote(0, 100) },
  { quote: quote(1, 150) },
  { mark: mark(200, 2) },
  { quote: quote(3, 250, 'BAD') },
  { quote: quote(4, 300) },
  { mark: mark(400, 5) },
  { quote: quote(6, 450) },
  { mark: mark(500, 7, true) },
];

async function run(
  sink: InMemoryLevelSink,
  state: InMemoryStateStore,
  sizes: number[],
  stopAfterBatches = Number.POSITIVE_INFINITY,
) {
  const recovery = await recoverProcessor({
    factory: {
      fresh: () => new Doubler(),
      restore: (snapshot) => new Doubler((snapshot as { count: number }).count),
    },
    sink,
    state,
    logger,
  });
  const source = new ScriptedSource(script, sizes);
  await source.start(recovery.from);
  await runPipeline({
    engine: recovery.engine,
    source,
    sink,
    state,
    stats: createPipelineStats(),
    logger,
    batchSize: 100,
    batchWaitMs: 0,
    startVersion: recovery.version,
    startOffsets: recovery.from,
    alreadyPublished: recovery.alreadyPublished,
    // Stops after that many batches, all committed: a crash right after the last commit.
    isStopping: () => source.exhausted || source.batches >= stopAfterBatches,
    // One batch per transaction, so every batch's watermark is seen by the sink.
    maxPendingBatches: 1,
  });
}

const times = (sink: InMemoryLevelSink) => sink.watermarks.map((w) => `${w.time}${w.final ? ' final' : ''}`);

describe('pipeline: derived events and the input watermark', () => {
  it('commits derived events with the offsets, and each watermark once it moved', async () => {
    const sink = new InMemoryLevelSink();
    await run(sink, new InMemoryStateStore(), [1, 2, 1, 2, 2]);
    expect(sink.derived.map((e) => (e.kind === 'fx-rate' ? e.rate : ''))).toEqual(['2', '4', '10', '14']);
    expect(sink.deadLetters.map((r) => r.offset)).toEqual(['3']);
    // The watermark of offset 2 is reported with two batches; it goes out once.
    expect(times(sink)).toEqual(['200', '400', '500 final']);
    expect(await sink.committedOffsets()).toEqual({ [KEY]: '8' });
  });

  it('after a crash, restored from the snapshot: every derived event and watermark exactly once', async () => {
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await run(sink, state, [3, 1, 1, 1, 1, 1], 2);
    expect(times(sink)).toEqual(['200']);
    await run(sink, state, [2, 2]);
    expect(sink.derived.map((e) => (e.kind === 'fx-rate' ? e.observationId : e.kind))).toEqual([
      'n1',
      'n2',
      'n3',
      'n4',
    ]);
    expect(times(sink)).toEqual(['200', '400', '500 final']);
  });

  it('rebuilt without a snapshot: what was published before the committed point is not published again', async () => {
    const sink = new InMemoryLevelSink();
    await run(sink, new InMemoryStateStore(), [3, 3], 2);
    expect(times(sink)).toEqual(['200', '400']);
    expect(sink.derived).toHaveLength(3);
    // Redis lost the state: rebuilt from offset 0 and cut differently; offsets 0–5 were committed.
    // The batch that crosses the committed point ends at the watermark of offset 5, published already.
    await run(sink, new InMemoryStateStore(), [5, 2, 1]);
    expect(sink.derived.map((e) => (e.kind === 'fx-rate' ? e.observationId : e.kind))).toEqual([
      'n1',
      'n2',
      'n3',
      'n4',
    ]);
    expect(times(sink)).toEqual(['200', '400', '500 final']);
  });
});
