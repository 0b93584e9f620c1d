import type { IndexDefinition } from '@indexflow/index-engine';
import type { Logger } from '@indexflow/observability';
import {
  createPipelineStats,
  type EventSource,
  type LevelSink,
  recoverProcessor,
  runRecovered,
  type StateStore,
} from '@indexflow/pipeline';
import type { ActionInput, DueAdjustment } from './action-inputs.js';
import { type PublicationSchedule, registerProcessorFactory } from './register-processor.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface ActionRegisterDeps {
  readonly definitions: readonly IndexDefinition[];
  readonly schedule: PublicationSchedule;
  readonly source: EventSource<ActionInput>;
  readonly sink: LevelSink<DueAdjustment>;
  readonly state: StateStore;
  /** The dates the adjustments topic already holds (see readPublishedDates). */
  readonly publishedDates: () => Promise<readonly string[]>;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
  readonly batchSize: number;
  readonly batchWaitMs: number;
}

export interface ActionRegisterLoop {
  /** Recovers the register, then runs until `stop()`; resolves when the last batch is committed. */
  run(): Promise<void>;
  /** Asks the loop to finish its current batch and return. */
  stop(): void;
  readonly ready: boolean;
}

/**
 * The corporate-actions register on the one pipeline: announcements from the compacted actions
 * topic are validated into the register (refusals → dead-letter topic), and each ex-date's actions
 * are published once, as one date-wide adjustment, when a clock tick finds them due. Each batch's
 * adjustments, dead letters and input offsets (with the clock's position) commit in one Kafka
 * transaction, with the register's snapshot staged in Redis first: a date is published exactly
 * when its transaction committed, whatever crashed where.
 */
export function createActionRegister(deps: ActionRegisterDeps): ActionRegisterLoop {
  let stopping = false;
  let ready = false;
  return {
    get ready() {
      return ready;
    },
    stop() {
      stopping = true;
    },
    async run() {
      const { log, metrics } = deps;
      const recovery = await recoverProcessor({
        factory: registerProcessorFactory({
          ...deps.schedule,
          definitions: deps.definitions,
          onOutcome: (outcome) => metrics.announcements.inc({ outcome }),
        }),
        sink: deps.sink,
        state: deps.state,
        logger: log,
      });
      const register = recovery.engine.register;
      let reconciled: readonly string[] = [];
      if (recovery.from === null) {
        // No state: the register is rebuilt from the announcements, which do not say which dates
        // were published. The adjustments topic does (a first start, or Redis lost the state).
        reconciled = (await deps.publishedDates()).filter((date) => !register.isPublished(date));
        for (const date of reconciled) register.markPublished(date);
      }
      log.info(
        { version: recovery.version, offsets: recovery.from, dates: register.dates(), reconciled },
        'register recovered',
      );
      try {
        await runRecovered({
          recovery,
          source: deps.source,
          sink: deps.sink,
          state: deps.state,
          stats: createPipelineStats(),
          logger: log,
          batchSize: deps.batchSize,
          batchWaitMs: deps.batchWaitMs,
          isStopping: () => stopping,
          stage: 'the corporate-actions register',
          onStarted: () => {
            ready = true;
          },
        });
      } finally {
        ready = false;
      }
    },
  };
}
