// Turns the engine's snapshot JSON into the field values of the projection hashes (and back, for
// readers). Done here rather than in Lua so the promote script stays a plain copy of strings and
// the mapping is unit-testable. Decimals stay the strings the engine wrote; a null value becomes
// an absent field, so HGET answers nil for it.
import { EngineSnapshotShapeError, StoredStateError } from './redis-errors.js';

/** Field values of one projection hash, ready for HSET. */
export type ProjectionFields = Readonly<Record<string, string>>;

export interface ProjectionEntry {
  /** Index id, symbol or FX pair: the member of the family's set and the end of the key. */
  readonly member: string;
  readonly fields: ProjectionFields;
}

export interface Projection {
  readonly indices: readonly ProjectionEntry[];
  readonly symbols: readonly ProjectionEntry[];
  readonly fx: readonly ProjectionEntry[];
}

/** One constituent as the index projection stores it (in the `constituents` JSON field). */
export interface ProjectedConstituent {
  readonly symbol: string;
  readonly indexShares: string;
  readonly price: string | null;
  readonly fxRate: string | null;
}

/** An index as the projection holds it after the last promote. */
export interface IndexProjection {
  readonly indexId: string;
  /** The state version whose promote wrote it. */
  readonly version: number;
  readonly sequence: number;
  readonly divisor: string | null;
  readonly level: string | null;
  readonly prevClose: string | null;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly totalReturnLevel: string | null;
  readonly netTotalReturnLevel: string | null;
  readonly tradingDate: string | null;
  readonly constituents: readonly ProjectedConstituent[];
}

const SUPPORTED_FORMAT = 1;

/** Builds the projection of an engine snapshot (`format: 1`) taken at state `version`. */
export function buildProjection(engine: unknown, version: number): Projection {
  const root = record(engine, '');
  if (root.format !== SUPPORTED_FORMAT) {
    throw new EngineSnapshotShapeError({
      path: 'format',
      value: root.format,
      expected: `${SUPPORTED_FORMAT}`,
    });
  }
  const tradingDate = nullableString(root.tradingDate, 'tradingDate');
  const indices = array(root.indices, 'indices').map((value, i) =>
    indexEntry(value, `indices[${i}]`, version, tradingDate),
  );
  const symbols = array(root.symbols, 'symbols').map((value, i) => symbolEntry(value, `symbols[${i}]`));
  const fx = array(root.fx, 'fx').map((value, i) => fxEntry(value, `fx[${i}]`));
  return { indices, symbols, fx };
}

function indexEntry(
  value: unknown,
  path: string,
  version: number,
  tradingDate: string | null,
): ProjectionEntry {
  const index = record(value, path);
  const id = string(index.id, `${path}.id`);
  const constituents = array(index.constituents, `${path}.constituents`).map(
    (item, i): ProjectedConstituent => {
      const at = `${path}.constituents[${i}]`;
      const constituent = record(item, at);
      return {
        symbol: string(constituent.symbol, `${at}.symbol`),
        indexShares: string(constituent.indexShares, `${at}.indexShares`),
        price: nullableString(constituent.price, `${at}.price`),
        fxRate: nullableString(constituent.fxRate, `${at}.fxRate`),
      };
    },
  );
  return {
    member: id,
    fields: withoutNulls({
      version: String(version),
      sequence: String(integer(index.sequence, `${path}.sequence`)),
      divisor: nullableString(index.divisor, `${path}.divisor`),
      level: nullableString(index.level, `${path}.level`),
      prevClose: nullableString(index.prevClose, `${path}.prevClose`),
      open: nullableString(index.open, `${path}.open`),
      high: nullableString(index.high, `${path}.high`),
      low: nullableString(index.low, `${path}.low`),
      totalReturnLevel: optionalString(index.totalReturnLevel, `${path}.totalReturnLevel`),
      netTotalReturnLevel: optionalString(index.netTotalReturnLevel, `${path}.netTotalReturnLevel`),
      tradingDate,
      constituents: JSON.stringify(constituents),
    }),
  };
}

function symbolEntry(value: unknown, path: string): ProjectionEntry {
  const symbol = record(value, path);
  const lastSequence = symbol.lastSequence;
  return {
    member: string(symbol.symbol, `${path}.symbol`),
    fields: withoutNulls({
      lastPrice: nullableString(symbol.lastPrice, `${path}.lastPrice`),
      lastEventTime: String(integer(symbol.lastEventTime, `${path}.lastEventTime`)),
      lastSequence:
        lastSequence === undefined || lastSequence === null
          ? null
          : String(integer(lastSequence, `${path}.lastSequence`)),
    }),
  };
}

function fxEntry(value: unknown, path: string): ProjectionEntry {
  const fx = record(value, path);
  const observationId = fx.observationId;
  if (
    typeof observationId !== 'string' &&
    !(typeof observationId === 'number' && Number.isFinite(observationId))
  ) {
    throw new EngineSnapshotShapeError({
      path: `${path}.observationId`,
      value: observationId,
      expected: 'a string or number',
    });
  }
  return {
    member: string(fx.pair, `${path}.pair`),
    fields: {
      rate: string(fx.rate, `${path}.rate`),
      eventTime: String(integer(fx.eventTime, `${path}.eventTime`)),
      observationId: String(observationId),
    },
  };
}

/** Reads an index hash back (HGETALL answer); null when the hash is absent (empty answer). */
export function parseIndexProjection(
  key: string,
  indexId: string,
  fields: Readonly<Record<string, string>>,
): IndexProjection | null {
  if (Object.keys(fields).length === 0) return null;
  const stored = (field: string): string => {
    const value = fields[field];
    if (value === undefined) throw new StoredStateError({ key, field, value });
    return value;
  };
  const storedInteger = (field: string): number => {
    const value = stored(field);
    if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new StoredStateError({ key, field, value });
    return Number(value);
  };
  let constituents: unknown;
  try {
    constituents = JSON.parse(stored('constituents'));
  } catch {
    throw new StoredStateError({ key, field: 'constituents', value: fields.constituents });
  }
  if (!Array.isArray(constituents))
    throw new StoredStateError({ key, field: 'constituents', value: constituents });
  return {
    indexId,
    version: storedInteger('version'),
    sequence: storedInteger('sequence'),
    divisor: fields.divisor ?? null,
    level: fields.level ?? null,
    prevClose: fields.prevClose ?? null,
    open: fields.open ?? null,
    high: fields.high ?? null,
    low: fields.low ?? null,
    totalReturnLevel: fields.totalReturnLevel ?? null,
    netTotalReturnLevel: fields.netTotalReturnLevel ?? null,
    tradingDate: fields.tradingDate ?? null,
    // Written by buildProjection from checked values; a reader trusts its own writer's shape.
    constituents: constituents as ProjectedConstituent[],
  };
}

function withoutNulls(fields: Record<string, string | null>): ProjectionFields {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineSnapshotShapeError({ path: path === '' ? '(root)' : path, value, expected: 'an object' });
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new EngineSnapshotShapeError({ path, value, expected: 'an array' });
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new EngineSnapshotShapeError({ path, value, expected: 'a string' });
  return value;
}

function nullableString(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string')
    throw new EngineSnapshotShapeError({ path, value, expected: 'a string or null' });
  return value;
}

// Total-return fields exist only for indices that compute them; older snapshots may omit them.
function optionalString(value: unknown, path: string): string | null {
  return value === undefined ? null : nullableString(value, path);
}

function integer(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new EngineSnapshotShapeError({ path, value, expected: 'an integer' });
  }
  return value;
}
