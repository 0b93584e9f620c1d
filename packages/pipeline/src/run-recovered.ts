import type { Rejection } from '@indexflow/index-engine';
import type { ProcessorRejection } from './event-processor.js';
import type { IndexEvent, RejectedRecord, RestartTracker, RestartVerdict } from './ports.js';
import type { Recovery } from './recover-processor.js';
import { type PipelineDeps, runPipeline } from './run-pipeline.js';

/** What a service stage adds to a recovered processor to run it (see runRecovered). */
export type RecoveredRunOptions<E, D, R extends ProcessorRejection> = Omit<
  PipelineDeps<E, D, R>,
  'engine' | 'startVersion' | 'startOffsets' | 'alreadyPublished' | 'watermarkPassed'
> & {
  readonly recovery: Recovery<PipelineDeps<E, D, R>['engine']>;
  /** Counts runs that crashed at one offset (poison pills); absent: off. */
  readonly restarts?: RestartTracker;
  /** Names the stage in a poison pill's dead letter: "crashed <stage> 3 times in a row". */
  readonly stage: string;
  /** Called once the source has started (readiness). */
  readonly onStarted?: () => void;
};

/**
 * Runs a recovered processor until `isStopping`, the way every service stage does: asks the
 * restart tracker how to start (normal, records one by one, or with a poison pill to skip),
 * starts the source at the recovered offsets, runs the pipeline, and tells the tracker how the run
 * ended: a clean stop clears the count; a retriable outage (Kafka, Redis, registry) does not count
 * towards a poison pill; any other failure does, by not being cleared.
 */
export async function runRecovered<E = IndexEvent, D = IndexEvent, R extends ProcessorRejection = Rejection>(
  options: RecoveredRunOptions<E, D, R>,
): Promise<void> {
  const { recovery, restarts, stage, onStarted, ...pipeline } = options;
  const verdict: RestartVerdict = (await restarts?.begin(recovery.from)) ?? { mode: 'normal', crashes: 0 };
  if (verdict.mode !== 'normal')
    pipeline.logger.warn({ ...verdict, offsets: recovery.from }, 'previous runs crashed at these offsets');
  try {
    await pipeline.source.start(recovery.from);
    onStarted?.();
    await runPipeline<E, D, R>({
      ...pipeline,
      engine: recovery.engine,
      startVersion: recovery.version,
      startOffsets: recovery.from,
      alreadyPublished: recovery.alreadyPublished,
      watermarkPassed: recovery.watermarkPassed,
      ...restartOptions(options, verdict),
    });
    // A clean stop whatever the tracker's store says now; a count left behind is a crash too many.
    await restarts
      ?.end()
      .catch((error) => pipeline.logger.warn({ err: error }, 'restart counter not cleared'));
  } catch (error) {
    if (isRetriable(error)) await restarts?.outage().catch(() => {});
    throw error;
  }
}

/** The pipeline options of a restart verdict: isolated records, or the poison pill to dead-letter. */
function restartOptions<E, D, R extends ProcessorRejection>(
  options: RecoveredRunOptions<E, D, R>,
  verdict: RestartVerdict,
): Partial<PipelineDeps<E, D, R>> {
  const { restarts, logger } = options;
  if (restarts === undefined || verdict.mode === 'normal') return {};
  if (verdict.mode === 'isolate') {
    return {
      isolatedRecords: options.batchSize,
      onIsolationDone: () => {
        restarts.isolationDone().catch((error) => logger.warn({ err: error }, 'restart counter not updated'));
        options.onIsolationDone?.();
      },
    };
  }
  return {
    poisonFirstEvent: {
      detail: `crashed ${options.stage} ${verdict.crashes} times in a row, the last time alone`,
    },
    onPoisonPill: (record: RejectedRecord) => {
      (logger.error ?? logger.warn).call(
        logger,
        { topic: record.topic, partition: record.partition, offset: record.offset, crashes: verdict.crashes },
        'poison pill dead-lettered and skipped',
      );
      options.onPoisonPill?.(record);
    },
  };
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
}
