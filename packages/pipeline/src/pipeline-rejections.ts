import type { RejectedRecord, SourcedEvent } from './ports.js';

/**
 * Dead-letter reasons the pipeline itself gives, beside the engine's REJECT_REASONS and the
 * sources' decode reasons: each names a way one record could otherwise have stopped the service.
 */
export const PIPELINE_REJECT_REASONS = {
  /** The engine threw while applying the record's event. */
  engineError: 'engine_error',
  /** A level the event produced would not fit a level record (see PipelineDeps.levelGuard). */
  levelTooLarge: 'level_too_large',
  /** The record crashed the service repeatedly at the same offset (see PipelineDeps.poisonFirstEvent). */
  poisonPill: 'poison_pill',
} as const;

/** Characters of an error message or offending value kept in a rejection's detail. */
export const DETAIL_CHARS = 200;

export function cutDetail(text: string): string {
  return text.length <= DETAIL_CHARS ? text : `${text.slice(0, DETAIL_CHARS - 1)}…`;
}

/** The dead letter of a decoded event refused for `reason`. */
export function rejectSourced(
  sourced: SourcedEvent<unknown>,
  reason: string,
  detail: string,
): RejectedRecord {
  return {
    topic: sourced.topic,
    partition: sourced.partition,
    offset: sourced.offset,
    key: sourced.key,
    value: sourced.value,
    reason,
    detail: cutDetail(detail),
    event: sourced.event,
  };
}

export function errorText(error: unknown): string {
  return cutDetail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
