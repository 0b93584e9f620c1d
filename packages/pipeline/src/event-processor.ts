import type { IndexEvent, IndexLevel, OfficialClose, Rejection } from '@indexflow/index-engine';

/** What one event gives: levels, refusals, official closes that fell due, derived events. */
export interface ProcessorResult<D = IndexEvent> {
  readonly levels: readonly IndexLevel[];
  readonly rejections: readonly Rejection[];
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
export interface EventProcessor<E = IndexEvent, D = IndexEvent> {
  apply(event: E): ProcessorResult<D>;
  snapshot(): unknown;
}

/** Builds a processor fresh or from a snapshot of an earlier one. */
export interface ProcessorFactory<P extends EventProcessor<never, unknown>> {
  fresh(): P;
  restore(snapshot: unknown): P;
}
