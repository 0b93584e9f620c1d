import { type IndexLevel, LevelRecord } from '@indexflow/index-engine';
import { type LevelRecordOptions, levelToRecord } from './record-mapping.js';

/**
 * Largest level record published. The broker refuses a record batch over message.max.bytes
 * (1 MiB by default) and the whole transaction with it; a normal level record is a few KiB (one
 * entry per constituent), so anything near this is a price or rate no index can have.
 */
export const MAX_LEVEL_RECORD_BYTES = 256 * 1024;

// Below these (×10^24 and ×10^44 scaled), every number of the record is at most ~200 digits and
// the record is small whatever else it holds: one comparison instead of formatting the record.
const SMALL_LEVEL = 10n ** 200n;
const SMALL_MARKET_VALUE = 10n ** 220n;

/**
 * Returns the pipeline's level guard (PipelineDeps.levelGuard): why a level's record would be too
 * large to publish, or null. Engine levels with ordinary magnitudes pass on a comparison; others
 * are mapped to their record and measured.
 */
export function createLevelSizeGuard(
  maxBytes = MAX_LEVEL_RECORD_BYTES,
  options?: LevelRecordOptions,
): (level: IndexLevel) => string | null {
  return (level) => {
    if (
      level instanceof LevelRecord &&
      level.levelScaled < SMALL_LEVEL &&
      level.marketValueScaled < SMALL_MARKET_VALUE
    )
      return null;
    const bytes = encodedBytes(levelToRecord(level, options));
    return bytes <= maxBytes
      ? null
      : `its record would be ~${bytes} bytes; at most ${maxBytes} are published`;
  };
}

/** An upper estimate of a record's Avro size: each string with its length, 10 bytes a number. */
export function encodedBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 10;
  if (typeof value === 'string') return 5 + Buffer.byteLength(value);
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + encodedBytes(item), 5);
  if (typeof value === 'object') {
    let sum = 1;
    for (const item of Object.values(value)) sum += encodedBytes(item);
    return sum;
  }
  return 10;
}
