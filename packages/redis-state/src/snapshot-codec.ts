// A StateSnapshot as the committed and pending hashes hold it. Offsets are stored as canonical
// JSON (sorted keys) so that equal offsets are equal strings, whatever order the source built them in.

import { createHash } from 'node:crypto';
import { canonicalOffsets, type InputOffsets, type StateSnapshot } from '@indexflow/pipeline';
import { InvalidSnapshotError, StoredStateError } from './redis-errors.js';

export interface EncodedSnapshot {
  readonly version: string;
  readonly offsets: string;
  readonly engine: string;
  /** Identifies this exact content, so promote can refuse a pending that was restaged after it was read. */
  readonly digest: string;
}

export function encodeSnapshot(snapshot: StateSnapshot): EncodedSnapshot {
  if (!Number.isSafeInteger(snapshot.version) || snapshot.version < 1) {
    throw new InvalidSnapshotError({
      field: 'version',
      value: snapshot.version,
      reason: 'expected an integer ≥ 1',
    });
  }
  for (const [key, offset] of Object.entries(snapshot.offsets)) {
    if (typeof offset !== 'string' || !/^(0|[1-9][0-9]*)$/.test(offset)) {
      throw new InvalidSnapshotError({
        field: `offsets.${key}`,
        value: offset,
        reason: 'expected a decimal string',
      });
    }
  }
  let engine: string | undefined;
  try {
    engine = JSON.stringify(snapshot.engine);
  } catch (error) {
    throw new InvalidSnapshotError({ field: 'engine', value: typeof snapshot.engine, reason: String(error) });
  }
  if (engine === undefined) {
    throw new InvalidSnapshotError({
      field: 'engine',
      value: snapshot.engine,
      reason: 'expected a JSON value',
    });
  }
  const offsets = canonicalOffsets(snapshot.offsets);
  return { version: String(snapshot.version), offsets, engine, digest: digestOf(offsets, engine) };
}

export function digestOf(offsets: string, engine: string): string {
  return createHash('sha256').update(offsets).update('\n').update(engine).digest('hex');
}

/** A stored snapshot hash, decoded; null for an absent hash (HGETALL answers `{}`). */
export interface StoredSnapshot {
  readonly snapshot: StateSnapshot;
  /** The offsets exactly as stored (canonical JSON), for comparisons. */
  readonly offsetsJson: string;
  readonly engineJson: string;
  readonly digest: string;
}

export function decodeSnapshot(key: string, fields: Readonly<Record<string, string>>): StoredSnapshot | null {
  if (Object.keys(fields).length === 0) return null;
  const field = (name: string): string => {
    const value = fields[name];
    if (value === undefined) throw new StoredStateError({ key, field: name, value });
    return value;
  };
  const versionText = field('version');
  if (!/^[1-9][0-9]*$/.test(versionText))
    throw new StoredStateError({ key, field: 'version', value: versionText });
  const offsetsJson = field('offsets');
  const engineJson = field('engine');
  const offsets = parseJson(key, 'offsets', offsetsJson);
  if (typeof offsets !== 'object' || offsets === null || Array.isArray(offsets)) {
    throw new StoredStateError({ key, field: 'offsets', value: offsetsJson });
  }
  return {
    snapshot: {
      version: Number(versionText),
      offsets: offsets as InputOffsets,
      engine: parseJson(key, 'engine', engineJson),
    },
    offsetsJson,
    engineJson,
    // Hashes written before the digest existed get one computed the same way.
    digest: fields.digest ?? digestOf(offsetsJson, engineJson),
  };
}

function parseJson(key: string, field: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoredStateError({ key, field, value: text });
  }
}
