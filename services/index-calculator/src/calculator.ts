import type { EngineOptions, IndexDefinition } from '@indexflow/index-engine';
import type { Logger } from '@indexflow/observability';
import {
  createPipelineStats,
  type EventSource,
  type FastLane,
  type LevelSink,
  type PipelineDeps,
  type PipelineStats,
  type RestartTracker,
  recoverEngine,
  runRecovered,
  type StateStore,
} from '@indexflow/pipeline';
import type { CalculatorMetrics } from './calculator-metrics.js';

export interface CalculatorDeps {
  readonly definitions: readonly IndexDefinition[];
  readonly engineOptions: EngineOptions;
  readonly source: EventSource;
  readonly sink: LevelSink;
  readonly state: StateStore;
  readonly logger: Logger;
  readonly metrics: CalculatorMetrics;
  readonly batchSize: number;
  readonly batchWaitMs: number;
  /** 0 turns the conflated topic off. */
  readonly conflationIntervalMs: number;
  /** Wall clock for latency metrics only. */
  readonly now: () => number;
  /** The fast-levels topic's publisher, when `FAST_LEVELS` is on. */
  readonly fastLane?: FastLane;
  /** Which engine rejections become dead letters (a shard's share); default all. */
  readonly rejectionsToPublish?: PipelineDeps['rejectionsToPublish'];
  /** Refuses levels too large to publish (see PipelineDeps.levelGuard). */
  readonly levelGuard?: PipelineDeps['levelGuard'];
  /** Counts runs that crashed at one offset and says how to start (poison pills); absent: off. */
  readonly restarts?: RestartTracker;
}

export interface Calculator {
  /** Recovers state, then runs until `stop()`; resolves when the last batch is committed. */
  run(): Promise<void>;
  /** Asks the loop to finish its current batch and return. */
  stop(): void;
  readonly ready: boolean;
  readonly stats: PipelineStats;
}

export function createCalculator(deps: CalculatorDeps): Calculator {
  let stopping = false;
  let ready = false;
  const stats = createPipelineStats();
  const { metrics } = deps;
  return {
    get ready() {
      return ready;
    },
    stats,
    stop() {
      stopping = true;
    },
    async run() {
      const recovery = await recoverEngine(deps);
      let previous = { records: 0, levels: 0, suppressed: 0, rejected: new Map<string, number>() };
      try {
        await runRecovered({
          recovery,
          source: deps.source,
          sink: deps.sink,
          state: deps.state,
          stats,
          logger: deps.logger,
          batchSize: deps.batchSize,
          batchWaitMs: deps.batchWaitMs,
          isStopping: () => stopping,
          stage: 'the service',
          ...(deps.restarts ? { restarts: deps.restarts } : {}),
          onStarted: () => {
            ready = true;
          },
          onPoisonPill: () => metrics.poisonPills.inc(),
          conflationIntervalMs: deps.conflationIntervalMs,
          ...(deps.rejectionsToPublish ? { rejectionsToPublish: deps.rejectionsToPublish } : {}),
          ...(deps.fastLane ? { fastLane: deps.fastLane } : {}),
          ...(deps.levelGuard ? { levelGuard: deps.levelGuard } : {}),
          onCommitted: (_levels, receivedAt) => {
            const now = deps.now();
            for (const t of receivedAt) metrics.tickToPublish.observe((now - t) / 1000);
            metrics.batches.inc();
            metrics.recordsIn.inc(stats.recordsIn - previous.records);
            metrics.levelsOut.inc(stats.levelsOut - previous.levels);
            metrics.suppressed.inc(stats.levelsSuppressed - previous.suppressed);
            for (const [reason, n] of stats.rejectedByReason) {
              const delta = n - (previous.rejected.get(reason) ?? 0);
              if (delta > 0) metrics.rejected.inc({ reason }, delta);
            }
            previous = {
              records: stats.recordsIn,
              levels: stats.levelsOut,
              suppressed: stats.levelsSuppressed,
              rejected: new Map(stats.rejectedByReason),
            };
          },
        });
      } finally {
        ready = false;
      }
    },
  };
}
