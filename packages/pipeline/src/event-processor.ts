import type { IndexEvent, IndexLevel, OfficialClose, Rejection } from '@indexflow/index-engine';

/** What a dead letter needs of a refusal: the engine's Rejection, or another stage's own reasons. */
export interface ProcessorRejection {
  readonly reason: string;
  /** Human-readable, naming the offending value. */
  readonly detail: string;
  /** Which action of a multi-action event was refused (the engine's adjustments). */
  readonly actionIndex?: number;
}

/**
 * What one event gives: levels, refusals, official closes that fell due, derived events. `D` is the
 * derived events' type and `R` the refusals' (the engine's by default).
 */
export interface ProcessorResult<D = IndexEvent, R extends ProcessorRejection = Rejection> {
  readonly levels: readonly IndexLevel[];
  readonly rejections: readonly R[];
  /** Official closes that fell due with this event; absent or empty: none. */
  readonly closes?: readonly OfficialClose[];
  /** Events for downstream stages, published in the same transaction (e.g. filtered FX rates). */
  readonly derived?: readonly D[];
}

/**
 * The deterministic state machine the pipeline drives: `IndexEngine` (levels) or a filter (derived
 * events). `apply` must depend on nothing but the event and the state; `snapshot` is what the state
 * store keeps (JSON-serialisable), and the processor's factory restores it (see recoverProcessor).
 */
export interface EventProcessor<E = IndexEvent, D = IndexEvent, R extends ProcessorRejection = Rejection> {
  apply(event: E): ProcessorResult<D, R>;
  /**
   * The input's watermark moved to `time` (no event before it is still to come): what falls due
   * with it, such as official closes on a quiet feed. Absent: nothing waits for time alone.
   */
  advanceWatermark?(time: number): ProcessorResult<D, R>;
  snapshot(): unknown;
}

/** Any processor, whatever its event types: what recovery and factories need of one. */
export type SomeProcessor = EventProcessor<never, unknown, ProcessorRejection>;

/** Builds a processor fresh or from a snapshot of an earlier one. */
export interface ProcessorFactory<P extends SomeProcessor> {
  fresh(): P;
  restore(snapshot: unknown): P;
}
