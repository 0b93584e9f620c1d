// Official closes made due by the input's watermark (a feed that goes quiet after the close):
// published once, whatever the batches, through a crash and through a rebuild without a snapshot.
import { type IndexDefinition, IndexEngine, type IndexEvent } from '@indexflow/index-engine';
import {
  createPipelineStats,
  type EventBatch,
  type EventSource,
  type InputOffsets,
  type InputWatermark,
  recoverProcessor,
  runPipeline,
  type SourcedEvent,
} from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import { InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

const logger = { info() {}, warn() {} };
const KEY = 'ticks:0';
const at = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);
const DEFINITION: IndexDefinition = {
  id: 'A',
  initialLevel: '1000',
  constituents: [{ symbol: '600000.SH', shares: '1000' }],
};

type ScriptRecord = { readonly tick: IndexEvent } | { readonly mark: number };
const tick = (date: string, time: string, price: string): ScriptRecord => ({
  tick: { kind: 'tick', symbol: '600000.SH', price, eventTime: at(date, time) },
});
const mark = (date: string, time: string): ScriptRecord => ({ mark: at(date, time) });

/** Replays a script from any offset, cut into the given batch sizes, with the watermark passed. */
class ScriptedSource implements EventSource {
  readonly #records: readonly ScriptRecord[];
  readonly #sizes: number[];
  #at = 0;
  batches = 0;
  #passed: InputWatermark | undefined;
  constructor(records: readonly ScriptRecord[], sizes: number[]) {
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
    const end = Math.min(this.#records.length, this.#at + (this.#sizes.shift() ?? 1));
    this.batches += 1;
    const events: SourcedEvent[] = [];
    for (; this.#at < end; this.#at += 1) {
      const record = this.#records[this.#at]!;
      if ('tick' in record)
        events.push({
          event: record.tick,
          topic: 'ticks',
          partition: 0,
          offset: String(this.#at),
          key: null,
          value: null,
          receivedAt: 0,
        });
      else this.#passed = { time: record.mark, final: false, records: { [KEY]: String(this.#at) } };
    }
    const batch = { events, undecodable: [], nextOffsets: { [KEY]: String(this.#at) } };
    return this.#passed === undefined ? batch : { ...batch, watermark: this.#passed };
  }
  async close(): Promise<void> {}
}

// Day 1 goes quiet after 15:00 (heartbeats only); day 2 trades again after the night.
const SCRIPT: ScriptRecord[] = [
  mark('2025-03-20', '09:00:00'),
  tick('2025-03-20', '09:30:00', '10.00'),
  tick('2025-03-20', '14:59:00', '10.50'),
  mark('2025-03-20', '14:59:30'),
  tick('2025-03-20', '15:00:00', '10.40'),
  mark('2025-03-20', '15:00:00'),
  mark('2025-03-20', '15:00:05'),
  tick('2025-03-20', '15:06:00', '10.60'),
  mark('2025-03-21', '09:00:00'),
  tick('2025-03-21', '09:30:00', '10.70'),
];

async function run(
  sink: InMemoryLevelSink,
  state: InMemoryStateStore,
  sizes: number[],
  stopAfter = Infinity,
) {
  const recovery = await recoverProcessor({
    factory: {
      fresh: () => new IndexEngine([DEFINITION]),
      restore: (snapshot) => IndexEngine.restore([DEFINITION], snapshot),
    },
    sink,
    state,
    logger,
  });
  const source = new ScriptedSource(SCRIPT, sizes);
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
    watermarkPassed: recovery.watermarkPassed,
    isStopping: () => source.exhausted || source.batches >= stopAfter,
    maxPendingBatches: 1,
  });
}

const closeOf = (sink: InMemoryLevelSink) => sink.closes.map((c) => `${c.tradingDate} ${c.level}`);
const DAY1 = '2025-03-20 1040.000000000000000000000000';

describe('pipeline: official closes on the input watermark', () => {
  it('publishes the close once the watermark is past 15:00, before any later event', async () => {
    const sink = new InMemoryLevelSink();
    // Stops right after the 15:00:05 heartbeat: nothing has traded after the close yet.
    await run(sink, new InMemoryStateStore(), [1, 1, 1, 1, 1, 1, 1], 7);
    expect(closeOf(sink)).toEqual([DAY1]);
  });

  it('gives the same closes, once each, however the input is cut into batches', async () => {
    for (const sizes of [[1], [2, 3, 5], [10], [7, 1, 2], [6, 4]]) {
      const sink = new InMemoryLevelSink();
      await run(sink, new InMemoryStateStore(), sizes);
      expect(closeOf(sink), `batches ${sizes}`).toEqual([DAY1]);
    }
  });

  it('after a crash, restored from the snapshot: the close exactly once', async () => {
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await run(sink, state, [7], 1);
    expect(closeOf(sink)).toEqual([DAY1]);
    await run(sink, state, [1, 1, 1]);
    expect(closeOf(sink)).toEqual([DAY1]);
  });

  // The run that committed 7 records took the close by its 15:00:05 watermark, the last thing it
  // did. A rebuilt batch that crosses that point (8, 2 or 6, 4) applies the 15:06 tick before its
  // watermark: without catching up with the stored watermark first, the tick took the close again.
  it('rebuilt without a snapshot and cut differently (batches meeting or crossing the committed point): the close exactly once', async () => {
    // The first run commits `first` records (7: up to the 15:00:05 heartbeat), then crashes.
    for (const [first, rebuilt] of [
      [[7], [3, 4, 3]],
      [[7], [1, 6, 1, 2]],
      [[6], [2, 4, 4]],
      [[8], [5, 3, 2]],
      [[4], [1, 3, 6]],
      [[7], [8, 2]],
      [[7], [6, 4]],
      [[7], [5, 5]],
    ] as const) {
      const sink = new InMemoryLevelSink();
      await run(sink, new InMemoryStateStore(), [...first], 1);
      expect(closeOf(sink), `first run ${first}`).toEqual(first[0] >= 7 ? [DAY1] : []);
      await run(sink, new InMemoryStateStore(), [...rebuilt]);
      expect(closeOf(sink), `first run ${first}, rebuilt ${rebuilt}`).toEqual([DAY1]);
    }
  });

  it('keeps the watermark with the offsets across a restart, so a later rebuild still publishes the close once', async () => {
    const sink = new InMemoryLevelSink();
    const state = new InMemoryStateStore();
    await run(sink, state, [7], 1);
    // Restored from the snapshot: the 15:06 tick is read without any watermark record after it.
    await run(sink, state, [1], 1);
    expect(await sink.committedOffsets()).toEqual({ [KEY]: '8' });
    expect(await sink.committedWatermark()).toBe(at('2025-03-20', '15:00:05'));
    // Redis lost: rebuilt in batches that cross the committed point.
    await run(sink, new InMemoryStateStore(), [9, 1]);
    expect(closeOf(sink)).toEqual([DAY1]);
  });
});
