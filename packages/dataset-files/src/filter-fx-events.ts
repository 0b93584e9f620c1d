import {
  type FxRateEvent,
  FxRateFilter,
  type FxRateFilterOptions,
  type IndexEvent,
  type Rejection,
} from '@indexflow/index-engine';
import { DEFAULT_FX_SOURCE } from './read-market-events.js';

/**
 * Passes every event through, except FX rates: those go through the FX service's filter, and only
 * the HKDCNY rates it would publish continue (refused quotes go to `onRefused`). The replay and
 * the embedded pipeline both run this, so they agree byte for byte. The published rate's
 * observation id names its derivation, as the service's record does.
 */
export function* filterFxEvents(
  events: Iterable<IndexEvent>,
  options: FxRateFilterOptions,
  onRefused: (rejection: Rejection, quote: FxRateEvent) => void,
): Generator<IndexEvent> {
  const filter = new FxRateFilter(options);
  // Position of the quote in the feed: the FX service numbers its records by the raw topic offset.
  let quotes = 0;
  for (const event of events) {
    if (event.kind !== 'fx-rate') {
      yield event;
      continue;
    }
    quotes += 1;
    const result = filter.accept({
      pair: event.pair,
      rate: event.rate,
      eventTime: event.eventTime,
      ...(event.observationId === undefined ? {} : { observationId: event.observationId }),
    });
    if (!result.accepted) {
      onRefused(result.rejection, event);
      continue;
    }
    if (result.published === null) continue;
    // The id the calculator derives from the FX service's record (`source:pair:sequence`): a
    // direct quote keeps its feed's source, a derived rate is sourced `fx-filter:<derivation>`.
    const source = result.published.direct
      ? (event.source ?? DEFAULT_FX_SOURCE)
      : `fx-filter:${result.published.derivation}`;
    yield {
      kind: 'fx-rate',
      pair: result.published.pair,
      rate: result.published.rate,
      eventTime: result.published.eventTime,
      observationId: `${source}:${result.published.pair}:${quotes}`,
      // A direct quote keeps its source, so an index's closing fixing is still recognised.
      ...(result.published.direct && event.source !== undefined ? { source: event.source } : {}),
      ...(event.position === undefined ? {} : { position: event.position }),
    };
  }
}
