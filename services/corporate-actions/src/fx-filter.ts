import type { Logger } from '@indexflow/observability';
import {
  createPipelineStats,
  type EventSource,
  type LevelSink,
  type RestartTracker,
  recoverProcessor,
  runRecovered,
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
      const stats = createPipelineStats();
      let recordsSeen = 0;
      try {
        await runRecovered({
          recovery,
          source: deps.source,
          sink,
          state: deps.state,
          stats,
          logger: log,
          batchSize: deps.batchSize,
          batchWaitMs: deps.batchWaitMs,
          isStopping: () => stopping,
          stage: 'the FX filter',
          restarts: deps.restarts,
          onStarted: () => {
            ready = true;
          },
          onCommitted: () => {
            deps.metrics.fxIn.inc(stats.recordsIn - recordsSeen);
            recordsSeen = stats.recordsIn;
          },
        });
      } finally {
        ready = false;
      }
    },
  };
}
