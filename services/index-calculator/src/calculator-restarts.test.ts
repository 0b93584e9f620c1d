import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '@indexflow/in-memory';
import type { IndexEvent } from '@indexflow/index-engine';
import type { Logger } from '@indexflow/observability';
import type { EventSource, RestartTracker, RestartVerdict } from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { createCalculator } from './calculator.js';
import { createCalculatorMetrics } from './calculator-metrics.js';

const definitions = readIndexDefinitions(SAMPLE_DIR);
const events: IndexEvent[] = [...datasetEvents(SAMPLE_DIR, () => {})].slice(0, 2000);
const logger = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

class FakeTracker implements RestartTracker {
  readonly calls: string[] = [];
  constructor(private readonly verdict: RestartVerdict) {}
  async begin(): Promise<RestartVerdict> {
    this.calls.push('begin');
    return this.verdict;
  }
  async isolationDone(): Promise<void> {
    this.calls.push('isolationDone');
  }
  async end(): Promise<void> {
    this.calls.push('end');
  }
  async outage(): Promise<void> {
    this.calls.push('outage');
  }
}

async function run(verdict: RestartVerdict, failWith?: Error) {
  const restarts = new FakeTracker(verdict);
  const sink = new InMemoryLevelSink();
  const metrics = createCalculatorMetrics();
  const inner = new InMemoryEventSource(events);
  const source: EventSource = {
    start: (from) => inner.start(from),
    close: () => inner.close(),
    nextBatch: async (max) => {
      if (inner.exhausted) {
        if (failWith) throw failWith;
        calculator.stop();
      }
      return inner.nextBatch(max);
    },
  };
  const calculator = createCalculator({
    definitions,
    engineOptions: {},
    source,
    sink,
    state: new InMemoryStateStore(),
    logger,
    metrics,
    batchSize: 100,
    batchWaitMs: 0,
    conflationIntervalMs: 0,
    now: () => 0,
    restarts,
  });
  const error = await calculator.run().catch((caught: unknown) => caught);
  const pills = (await metrics.registry.getSingleMetricAsString('indexflow_poison_pills_total')).trim();
  return { restarts, sink, error, pills };
}

describe('calculator restart counter', () => {
  it('dead-letters the first event as poison_pill on a poison verdict, counts it, and clears the counter on a clean stop', async () => {
    const { restarts, sink, error, pills } = await run({ mode: 'poison', crashes: 3 });
    expect(error).toBeUndefined();
    expect(sink.deadLetters[0]).toMatchObject({ reason: 'poison_pill', offset: '0' });
    expect(sink.deadLetters[0]!.detail).toContain('3 times');
    expect(pills).toMatch(/indexflow_poison_pills_total 1$/);
    expect(restarts.calls).toEqual(['begin', 'end']);
  });

  it('reads one record per transaction on an isolate verdict and says when the isolated records are done', async () => {
    const { restarts, sink, pills } = await run({ mode: 'isolate', crashes: 2 });
    expect(sink.deadLetters.filter((r) => r.reason === 'poison_pill')).toEqual([]);
    expect(pills).toMatch(/indexflow_poison_pills_total 0$/);
    expect(restarts.calls).toEqual(['begin', 'isolationDone', 'end']);
  });

  it('marks an outage as not counting, and leaves the counter armed when the run fails otherwise', async () => {
    const outage = Object.assign(new Error('registry unreachable'), { retriable: true });
    expect((await run({ mode: 'normal', crashes: 0 }, outage)).restarts.calls).toEqual(['begin', 'outage']);
    const bug = new Error('something else');
    const failed = await run({ mode: 'normal', crashes: 0 }, bug);
    expect(failed.error).toBe(bug);
    expect(failed.restarts.calls).toEqual(['begin']);
  });
});
