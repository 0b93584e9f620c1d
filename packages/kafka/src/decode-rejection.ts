import { SchemaUnavailableError, UnknownSchemaIdError } from './kafka-errors.js';

/** Dead-letter reasons of input records that never became events. */
export const DECODE_REJECT_REASONS = {
  /** Not Avro in the wire format, or not the topic's schema, or fields the engine cannot take. */
  undecodable: 'undecodable',
  /** The registry does not know the record's schema id. */
  unknownSchema: 'unknown_schema',
  /** The record's schema id kept failing to resolve while the registry answered otherwise. */
  schemaUnavailable: 'schema_unavailable',
} as const;

/** The dead-letter reason of a record whose decoding threw `error` (a registry outage excepted). */
export function decodeRejectReason(error: unknown): string {
  if (error instanceof UnknownSchemaIdError) return DECODE_REJECT_REASONS.unknownSchema;
  if (error instanceof SchemaUnavailableError) return DECODE_REJECT_REASONS.schemaUnavailable;
  return DECODE_REJECT_REASONS.undecodable;
}
