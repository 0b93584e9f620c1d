import type { EngineOptions, IndexDefinition } from '@indexflow/index-engine';
import type { Logger } from '@indexflow/observability';
import {
  createPipelineStats,
  type EventSource,
  type FastLane,
  type LevelSink,
  type PipelineDeps,
  type PipelineStats,
  type RejectedRecord,
  type RestartTracker,
  type RestartVerdict,
  recoverEngine,
  runPipeline,
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
      const verdict = (await deps.restarts?.begin(recovery.from)) ?? { mode: 'normal', crashes: 0 };
      if (verdict.mode !== 'normal')
        deps.logger.warn({ ...verdict, offsets: recovery.from }, 'previous runs crashed at these offsets');
      try {
        await deps.source.start(recovery.from);
        ready = true;
        let previous = { records: 0, levels: 0, suppressed: 0, rejected: new Map<string, number>() };
        await runPipeline({
          engine: recovery.engine,
          source: deps.source,
          sink: deps.sink,
          state: deps.state,
          stats,
          logger: deps.logger,
          batchSize: deps.batchSize,
          batchWaitMs: deps.batchWaitMs,
          startVersion: recovery.version,
          startOffsets: recovery.from,
          alreadyPublished: recovery.alreadyPublished,
          isStopping: () => stopping,
          conflationIntervalMs: deps.conflationIntervalMs,
          ...(deps.rejectionsToPublish ? { rejectionsToPublish: deps.rejectionsToPublish } : {}),
          ...(deps.fastLane ? { fastLane: deps.fastLane } : {}),
          ...(deps.levelGuard ? { levelGuard: deps.levelGuard } : {}),
          ...restartOptions(deps, verdict),
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
        // A clean stop whatever Redis says now; a record left behind counts one crash too many.
        await deps.restarts
          ?.end()
          .catch((error) => deps.logger.warn({ err: error }, 'restart counter not cleared'));
      } catch (error) {
        // An outage is not the input's fault: it must not count towards a poison pill.
        if (isRetriable(error)) await deps.restarts?.outage().catch(() => {});
        throw error;
      } finally {
        ready = false;
      }
    },
  };
}

/** The pipeline options of a restart verdict: isolated records, or the poison pill to dead-letter. */
function restartOptions(deps: CalculatorDeps, verdict: RestartVerdict): Partial<PipelineDeps> {
  const tracker = deps.restarts;
  if (tracker === undefined || verdict.mode === 'normal') return {};
  if (verdict.mode === 'isolate') {
    return {
      isolatedRecords: deps.batchSize,
      onIsolationDone: () => {
        tracker
          .isolationDone()
          .catch((error) => deps.logger.warn({ err: error }, 'restart counter not updated'));
      },
    };
  }
  return {
    poisonFirstEvent: {
      detail: `crashed the service ${verdict.crashes} times in a row, the last time alone`,
    },
    onPoisonPill: (record: RejectedRecord) => {
      deps.metrics.poisonPills.inc();
      deps.logger.error(
        { topic: record.topic, partition: record.partition, offset: record.offset, crashes: verdict.crashes },
        'poison pill dead-lettered and skipped',
      );
    },
  };
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
}
