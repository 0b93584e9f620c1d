import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaFileError } from './kafka-errors.js';

/** Every schema in schemas/, by base file name (without `.avsc`). */
export const SCHEMA_NAMES = [
  'market-tick',
  'fx-rate',
  'corporate-action',
  'index-adjustment',
  'index-level',
  'index-close',
] as const;

export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The repository's schemas/ directory, found relative to this file so it works from any cwd. */
export const DEFAULT_SCHEMAS_DIR: string = fileURLToPath(new URL('../../../schemas/', import.meta.url));

/** One loaded .avsc file. */
export interface SchemaFile {
  readonly name: SchemaName;
  readonly file: string;
  /** Full Avro name, e.g. io.indexflow.MarketTick. */
  readonly fullName: string;
  /**
   * The schema as compact JSON. Registered instead of the file text so that reformatting the
   * file does not create a new schema version on registries that compare text.
   */
  readonly schema: string;
}

function fullNameOf(parsed: unknown): string {
  if (typeof parsed !== 'object' || parsed === null) throw new Error('top level was not a JSON object');
  const { type, name, namespace } = parsed as Record<string, unknown>;
  if (type !== 'record') throw new Error(`top-level type was ${JSON.stringify(type)}; expected "record"`);
  if (typeof name !== 'string' || name === '') throw new Error('record has no name');
  if (namespace !== 'io.indexflow')
    throw new Error(`namespace was ${JSON.stringify(namespace)}; expected "io.indexflow"`);
  return `${namespace}.${name}`;
}

/** Reads and checks one schema file from `dir`. */
export async function loadSchemaFile(
  name: SchemaName,
  dir: string = DEFAULT_SCHEMAS_DIR,
): Promise<SchemaFile> {
  const file = join(dir, `${name}.avsc`);
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return { name, file, fullName: fullNameOf(parsed), schema: JSON.stringify(parsed) };
  } catch (cause) {
    throw new SchemaFileError({ file, cause });
  }
}

/** Reads every schema in SCHEMA_NAMES from `dir` (default: the repository's schemas/). */
export async function loadSchemaFiles(
  dir: string = DEFAULT_SCHEMAS_DIR,
): Promise<ReadonlyMap<SchemaName, SchemaFile>> {
  const files = await Promise.all(SCHEMA_NAMES.map((name) => loadSchemaFile(name, dir)));
  return new Map(files.map((file) => [file.name, file]));
}
