import type { IndexEngine, IndexLevel, OfficialClose, Rejection } from '@indexflow/index-engine';
import { LevelConflation } from './level-conflation.js';
import { isBefore, isBehind, sameOffsets } from './offsets.js';
import type { PipelineStats } from './pipeline-stats.js';
import type {
  EventSource,
  InputOffsets,
  LevelSink,
  RejectedRecord,
  SourcedEvent,
  StateStore,
} from './ports.js';
import { offsetKey } from './ports.js';

export interface PipelineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PipelineDeps {
  readonly engine: IndexEngine;
  readonly source: EventSource;
  readonly sink: LevelSink;
  readonly state: StateStore;
  readonly stats: PipelineStats;
  readonly logger: PipelineLogger;
  readonly batchSize: number;
  readonly batchWaitMs: number;
  /** The state version the engine was restored at (0 for a fresh start). */
  readonly startVersion: number;
  /**
   * The offsets the restored state sits at (`Recovery.from`), which Kafka has committed already:
   * a first batch that moves nothing from there commits no transaction. Null for a fresh start.
   */
  readonly startOffsets?: InputOffsets | null;
  /**
   * When state was rebuilt from the beginning of the input, the offsets Kafka had committed:
   * levels of events before them were already published and are recomputed but not resent.
   */
  readonly alreadyPublished: InputOffsets | null;
  readonly isStopping: () => boolean;
  /** Publish at most one level per index per this many ms of event time to the conflated topic (0: off). */
  readonly conflationIntervalMs?: number;
  /**
   * The rejections of one event this pipeline dead-letters (default: all the engine returned).
   * Several pipelines that each see every record (calculator shards) use it so that exactly one
   * of them writes each dead letter.
   */
  readonly rejectionsToPublish?: (
    sourced: SourcedEvent,
    rejections: readonly Rejection[],
  ) => readonly Rejection[];
  /** Called after each committed batch with its levels and the wall-clock receive times (metrics). */
  readonly onCommitted?: (levels: readonly IndexLevel[], receivedAt: readonly number[]) => void;
}

/**
 * The one loop every driver runs: take a batch in canonical order, apply it to the engine, then
 * stage the engine state, publish levels + dead letters + input offsets in one Kafka transaction,
 * and promote the staged state. A crash anywhere leaves Kafka's transaction as the single
 * decider of what happened (see StateStore.recover).
 */
export async function runPipeline(deps: PipelineDeps): Promise<void> {
  const { engine, source, sink, state, stats } = deps;
  let version = deps.startVersion;
  let lastOffsets: InputOffsets | null = deps.startOffsets ?? null;
  const conflation = deps.conflationIntervalMs
    ? new LevelConflation(deps.conflationIntervalMs, engine)
    : null;
  while (!deps.isStopping()) {
    const batch = await source.nextBatch(deps.batchSize, deps.batchWaitMs);
    if (
      batch.events.length === 0 &&
      batch.undecodable.length === 0 &&
      sameOffsets(batch.nextOffsets, lastOffsets)
    ) {
      continue;
    }
    const levels: IndexLevel[] = [];
    const conflated: IndexLevel[] = [];
    const closes: OfficialClose[] = [];
    const receivedAt: number[] = [];
    // Records dead-lettered before the committed point (a rebuild) were already published.
    const rejected: RejectedRecord[] = batch.undecodable.filter(
      (r) => !isBefore(deps.alreadyPublished, offsetKey(r.topic, r.partition), r.offset),
    );
    for (const sourced of batch.events) {
      const result = engine.apply(sourced.event);
      const replayed = isBefore(
        deps.alreadyPublished,
        offsetKey(sourced.topic, sourced.partition),
        sourced.offset,
      );
      if (replayed) {
        stats.levelsSuppressed += result.levels.length;
        if (conflation) for (const level of result.levels) conflation.admit(level);
      } else {
        // Closes ride with the event that made them due, so a rebuild suppresses them like its levels.
        if (result.closes !== undefined) closes.push(...result.closes);
        for (const level of result.levels) {
          levels.push(level);
          if (conflation?.admit(level)) conflated.push(level);
          receivedAt.push(sourced.receivedAt);
        }
        const published = deps.rejectionsToPublish
          ? deps.rejectionsToPublish(sourced, result.rejections)
          : result.rejections;
        for (const rejection of published) {
          rejected.push({
            topic: sourced.topic,
            partition: sourced.partition,
            offset: sourced.offset,
            key: sourced.key,
            value: sourced.value,
            reason: rejection.reason,
            detail: rejection.detail,
          });
        }
      }
    }
    for (const r of rejected)
      stats.rejectedByReason.set(r.reason, (stats.rejectedByReason.get(r.reason) ?? 0) + 1);
    if (
      levels.length === 0 &&
      closes.length === 0 &&
      rejected.length === 0 &&
      deps.alreadyPublished !== null &&
      isBehind(batch.nextOffsets, deps.alreadyPublished)
    ) {
      // Rebuilding, and still before what Kafka committed: nothing to publish, and committing
      // these offsets would move the group back, so a crash now would republish levels from here
      // on. The engine carries on in memory; the first batch past the committed point commits.
      stats.events += batch.events.length;
      stats.recordsIn += batch.events.length + batch.undecodable.length;
      continue;
    }
    version += 1;
    await state.stage({ version, offsets: batch.nextOffsets, engine: engine.snapshot() });
    await sink.commit({ levels, conflated, closes, rejected, offsets: batch.nextOffsets });
    await state.promote(version);
    lastOffsets = batch.nextOffsets;
    stats.batches += 1;
    stats.events += batch.events.length;
    stats.recordsIn += batch.events.length + batch.undecodable.length;
    stats.levelsOut += levels.length;
    deps.onCommitted?.(levels, receivedAt);
    if (rejected.length > 0) {
      deps.logger.warn(
        { rejected: rejected.length, reasons: [...new Set(rejected.map((r) => r.reason))] },
        'records rejected',
      );
    }
  }
}
