import {
  createPipelineStats,
  type EventBatch,
  type EventProcessor,
  type EventSource,
  type InputOffsets,
  type ProcessorResult,
  runPipeline,
  type SourcedEvent,
} from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import { InMemoryLevelSink, InMemoryStateStore } from '../src/index.js';

// A stage whose input is not index events: notes, and clock ticks that publish what fell due.
type Input =
  | { readonly kind: 'note'; readonly due: number }
  | { readonly kind: 'clock'; readonly now: number };

class DueNotes implements EventProcessor<Input, number> {
  pending: number[] = [];
  apply(event: Input): ProcessorResult<number> {
    if (event.kind === 'note') {
      this.pending.push(event.due);
      return { levels: [], rejections: [] };
    }
    const due = this.pending.filter((d) => d <= event.now);
    this.pending = this.pending.filter((d) => d > event.now);
    return { levels: [], rejections: [], derived: due };
  }
  snapshot(): unknown {
    return { pending: this.pending };
  }
}

const sourced = (event: Input, offset: number): SourcedEvent<Input> => ({
  event,
  topic: 'notes',
  partition: 0,
  offset: String(offset),
  key: null,
  value: null,
  receivedAt: 0,
});

/** Batches from a script; a clock tick moves the `clock:0` position to its time. */
class Script implements EventSource<Input> {
  readonly #batches: { events: SourcedEvent<Input>[]; next: number }[];
  constructor(batches: { events: SourcedEvent<Input>[]; next: number }[]) {
    this.#batches = batches;
  }
  get done(): boolean {
    return this.#batches.length === 0;
  }
  async start(_from: InputOffsets | null): Promise<void> {}
  async nextBatch(): Promise<EventBatch<Input>> {
    const batch = this.#batches.shift() ?? { events: [], next: 2 };
    const tick = batch.events.find((e) => e.event.kind === 'clock')?.event;
    if (tick?.kind === 'clock') this.#clock = tick.now;
    return {
      events: batch.events,
      undecodable: [],
      nextOffsets: { 'notes:0': String(batch.next), 'clock:0': String(this.#clock) },
      clock: 'clock:0',
    };
  }
  #clock = 0;
  async close(): Promise<void> {}
}

describe('runPipeline with its own event type and clock events', () => {
  it('commits a clock tick only when something fell due, moving the clock position with it', async () => {
    const source = new Script([
      { events: [sourced({ kind: 'note', due: 10 }, 0), sourced({ kind: 'note', due: 20 }, 1)], next: 2 },
      { events: [sourced({ kind: 'clock', now: 5 }, 1)], next: 2 },
      { events: [sourced({ kind: 'clock', now: 15 }, 1)], next: 2 },
      { events: [sourced({ kind: 'clock', now: 16 }, 1)], next: 2 },
    ]);
    const sink = new InMemoryLevelSink<number>();
    const state = new InMemoryStateStore();
    const commits: number[][] = [];
    const recording = {
      commit: async (...args: Parameters<typeof sink.commit>) => {
        commits.push([...(args[0].derived ?? [])]);
        await sink.commit(...args);
      },
      committedOffsets: () => sink.committedOffsets(),
      close: () => sink.close(),
    };
    await runPipeline({
      engine: new DueNotes(),
      source,
      sink: recording,
      state,
      stats: createPipelineStats(),
      logger: { info() {}, warn() {} },
      batchSize: 10,
      batchWaitMs: 0,
      startVersion: 0,
      alreadyPublished: null,
      isStopping: () => source.done,
    });
    // The notes' batch, then only the tick at 15; the ticks at 5 and 16 published nothing.
    expect(commits).toEqual([[], [10]]);
    expect(sink.derived).toEqual([10]);
    expect(await sink.committedOffsets()).toEqual({ 'notes:0': '2', 'clock:0': '15' });
    expect((await state.recover({ 'notes:0': '2', 'clock:0': '15' }))?.engine).toEqual({ pending: [20] });
  });
});
