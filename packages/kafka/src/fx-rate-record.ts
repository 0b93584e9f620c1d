import type { FxRateEvent } from '@indexflow/index-engine';
import { RecordShapeError } from './kafka-errors.js';
import type { FxRateRecord } from './record-types.js';

// fxRecordToEvent names an FX observation `source:pair:sequence` from its record alone; these
// helpers are its inverse, so a stage that derives FX rates (the FX filter) can write records that
// decode back to exactly the events it derived.

/** The observation id fxRecordToEvent gives the record with these fields. */
export function fxObservationId(source: string, pair: string, sequence: number): string {
  return `${source}:${pair}:${sequence}`;
}

/** The feed sequence an observation id from fxRecordToEvent carries, or undefined when it has none. */
export function fxObservationSequence(observationId: string | undefined): number | undefined {
  if (observationId === undefined) return undefined;
  const text = observationId.slice(observationId.lastIndexOf(':') + 1);
  const sequence = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(sequence) ? sequence : undefined;
}

/** The FxRate record of an event whose observation id is `source:pair:sequence` (see fxObservationId). */
export function fxEventToRecord(event: FxRateEvent): FxRateRecord {
  const schema = 'fx-rate';
  const source = event.source;
  if (source === undefined) throw new RecordShapeError({ schema, field: 'source', value: source });
  const sequence = fxObservationSequence(event.observationId);
  if (sequence === undefined || event.observationId !== fxObservationId(source, event.pair, sequence))
    throw new RecordShapeError({ schema, field: 'observationId', value: event.observationId });
  return { pair: event.pair, rate: event.rate, eventTime: event.eventTime, source, sequence };
}
