import { describe, expect, it } from 'vitest';
import { fxEventToRecord, fxObservationSequence } from './fx-rate-record.js';
import { RecordShapeError } from './kafka-errors.js';
import { fxRecordToEvent } from './record-mapping.js';

describe('FX rate records written by a stage that derives them', () => {
  it('decode back to the event they were written from', () => {
    const record = {
      pair: 'HKDCNY',
      rate: '0.92',
      eventTime: 1_000,
      source: 'fx-filter:a:b:3',
      sequence: 42,
    };
    const event = fxRecordToEvent(record);
    expect(fxObservationSequence(event.observationId)).toBe(42);
    expect(fxEventToRecord(event)).toEqual(record);
  });

  it('refuse an event whose observation id is not source:pair:sequence', () => {
    const event = { kind: 'fx-rate', pair: 'HKDCNY', rate: '1', eventTime: 0, source: 'S' } as const;
    expect(() => fxEventToRecord({ ...event, observationId: 'S:HKDCNY:x' })).toThrow(RecordShapeError);
    expect(() => fxEventToRecord({ ...event, observationId: 'T:HKDCNY:1' })).toThrow(RecordShapeError);
    expect(fxObservationSequence(undefined)).toBeUndefined();
  });
});
