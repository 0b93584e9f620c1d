import type { Logger } from '@indexflow/observability';
import {
  createPipelineStats,
  type EventSource,
  type LevelSink,
  type PipelineDeps,
  type RejectedRecord,
  type RestartTracker,
  type RestartVerdict,
  recoverProcessor,
  runPipeline,
  type StateStore,
} from '@indexflow/pipeline';
import { fxFilterFactory } from './fx-filter-processor.js';
import { MeteredFxSink } from './metered-fx-sink.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface FxFilterDeps {
  readonly maxJump: string;
  readonly source: EventSource;
  readonly sink: LevelSink;
  readonly state: StateStore;
  readonly restarts: RestartTracker;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
  readonly batchSize: number;
  readonly batchWaitMs: number;
}

export interface FxFilter {
  /** Recovers the filter, then runs until `stop()`; resolves when the last batch is committed. */
  run(): Promise<void>;
  /** Asks the loop to finish its current batch and return. */
  stop(): void;
  readonly ready: boolean;
}

/**
 * Raw FX quotes → validated HKDCNY rates on the one pipeline: the Kafka source merges the raw
 * partitions by event time, the FX filter processor derives the rates, and each batch's rates,
 * dead letters, input watermark and input offsets commit in one Kafka transaction, with the
 * filter's snapshot staged in Redis first (the calculator's recovery, restarts and poison pills).
 */
export function createFxFilter(deps: FxFilterDeps): FxFilter {
  let stopping = false;
  let ready = false;
  const sink = new MeteredFxSink(deps.sink, deps.metrics);
  return {
    get ready() {
      return ready;
    },
    stop() {
      stopping = true;
    },
    async run() {
      const { log } = deps;
      const recovery = await recoverProcessor({
        factory: fxFilterFactory({ maxJump: deps.maxJump }),
        sink,
        state: deps.state,
        logger: log,
      });
      const verdict = await deps.restarts.begin(recovery.from);
      if (verdict.mode !== 'normal')
        log.warn({ ...verdict, offsets: recovery.from }, 'previous runs crashed at these offsets');
      const stats = createPipelineStats();
      let recordsSeen = 0;
      try {
        await deps.source.start(recovery.from);
        ready = true;
        await runPipeline({
          engine: recovery.engine,
          source: deps.source,
          sink,
          state: deps.state,
          stats,
          logger: log,
          batchSize: deps.batchSize,
          batchWaitMs: deps.batchWaitMs,
          startVersion: recovery.version,
          startOffsets: recovery.from,
          alreadyPublished: recovery.alreadyPublished,
          isStopping: () => stopping,
          ...restartOptions(deps, verdict),
          onCommitted: () => {
            deps.metrics.fxIn.inc(stats.recordsIn - recordsSeen);
            recordsSeen = stats.recordsIn;
          },
        });
        await deps.restarts.end().catch((error) => log.warn({ err: error }, 'restart counter not cleared'));
      } catch (error) {
        // An outage is not the input's fault: it must not count towards a poison pill.
        if (isRetriable(error)) await deps.restarts.outage().catch(() => {});
        throw error;
      } finally {
        ready = false;
      }
    },
  };
}

/** The pipeline options of a restart verdict: isolated records, or the poison pill to dead-letter. */
function restartOptions(deps: FxFilterDeps, verdict: RestartVerdict): Partial<PipelineDeps> {
  const tracker = deps.restarts;
  if (verdict.mode === 'normal') return {};
  if (verdict.mode === 'isolate') {
    return {
      isolatedRecords: deps.batchSize,
      onIsolationDone: () => {
        tracker
          .isolationDone()
          .catch((error) => deps.log.warn({ err: error }, 'restart counter not updated'));
      },
    };
  }
  return {
    poisonFirstEvent: {
      detail: `crashed the FX filter ${verdict.crashes} times in a row, the last time alone`,
    },
    onPoisonPill: (record: RejectedRecord) => {
      deps.log.error(
        { topic: record.topic, partition: record.partition, offset: record.offset, crashes: verdict.crashes },
        'poison pill dead-lettered and skipped',
      );
    },
  };
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
}
