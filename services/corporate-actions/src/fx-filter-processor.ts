import {
  type FxRateEvent,
  FxRateFilter,
  type FxRateFilterOptions,
  type FxRateFilterSnapshot,
  type IndexEvent,
} from '@indexflow/index-engine';
import { fxObservationId, fxObservationSequence } from '@indexflow/kafka';
import type { EventProcessor, ProcessorFactory, ProcessorResult } from '@indexflow/pipeline';

/** What the state store keeps of the FX filter. */
export interface FxFilterState {
  readonly filter: FxRateFilterSnapshot;
}

const NOTHING: ProcessorResult = { levels: [], rejections: [] };

/**
 * The FX filter as the pipeline's processor: each raw quote goes through FxRateFilter (all the
 * arithmetic and refusals are there), and an HKDCNY rate it publishes becomes a derived event,
 * written to the FX topic in the batch's transaction. The derived event is exactly what the
 * calculator decodes from that record (observation id `source:pair:sequence`).
 */
export class FxFilterProcessor implements EventProcessor {
  readonly #filter: FxRateFilter;

  constructor(filter: FxRateFilter) {
    this.#filter = filter;
  }

  apply(event: IndexEvent): ProcessorResult {
    if (event.kind !== 'fx-rate') throw new NotAnFxQuoteError(event.kind);
    const result = this.#filter.accept({
      pair: event.pair,
      rate: event.rate,
      eventTime: event.eventTime,
      ...optional('sequence', fxObservationSequence(event.observationId)),
      ...optional('observationId', event.observationId),
    });
    if (!result.accepted) return { levels: [], rejections: [result.rejection] };
    const published = result.published;
    if (published === null) return NOTHING;
    // A direct HKDCNY quote keeps its feed's source (an index's closing fixing is recognised by
    // it); a derived rate names its derivation.
    const source = published.direct ? (event.source ?? '') : `fx-filter:${published.derivation}`;
    const sequence = publishedSequence(event);
    const rate: FxRateEvent = {
      kind: 'fx-rate',
      pair: published.pair,
      rate: published.rate,
      eventTime: published.eventTime,
      observationId: fxObservationId(source, published.pair, sequence),
      source,
    };
    return { levels: [], rejections: [], derived: [rate] };
  }

  snapshot(): FxFilterState {
    return { filter: this.#filter.snapshot() };
  }
}

/** Fresh or restored FX filters with the service's options. */
export function fxFilterFactory(options: FxRateFilterOptions): ProcessorFactory<FxFilterProcessor> {
  return {
    fresh: () => new FxFilterProcessor(new FxRateFilter(options)),
    restore: (snapshot) =>
      new FxFilterProcessor(FxRateFilter.restore((snapshot as FxFilterState).filter, options)),
  };
}

/**
 * The published record's sequence: the raw quote's offset + 1, strictly increasing and the same
 * however the state was rebuilt (a count of publications would restart lower after Redis lost
 * the state). The raw topic has one partition, so its offsets order every quote.
 */
function publishedSequence(event: IndexEvent): number {
  const offset = event.position?.offset;
  if (offset === undefined) throw new UnpositionedQuoteError(event.eventTime);
  return offset + 1;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The FX filter was given an event that is not an FX quote (a wiring error: its input is fx.raw). */
export class NotAnFxQuoteError extends Error {
  constructor(readonly kind: string) {
    super(`the FX filter reads FX quotes only; got a ${kind.slice(0, 200)} event`);
    this.name = 'NotAnFxQuoteError';
  }
}

/** A quote without its input position: the published sequence could not be derived from it. */
export class UnpositionedQuoteError extends Error {
  constructor(readonly eventTime: number) {
    super(`FX quote at ${eventTime} has no input position to number its published rate by`);
    this.name = 'UnpositionedQuoteError';
  }
}
