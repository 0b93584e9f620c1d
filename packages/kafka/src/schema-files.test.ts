import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaFileError } from './kafka-errors.js';
import { DEFAULT_SCHEMAS_DIR, loadSchemaFile, loadSchemaFiles, SCHEMA_NAMES } from './schema-files.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Calls `visit` on every field of every record type nested anywhere in `schema`. */
function forEachField(schema: Json, visit: (field: { [key: string]: Json }) => void): void {
  if (Array.isArray(schema)) {
    for (const branch of schema) forEachField(branch, visit);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema.fields)) {
    for (const field of schema.fields) {
      if (typeof field === 'object' && field !== null && !Array.isArray(field)) {
        visit(field);
        forEachField(field.type ?? null, visit);
      }
    }
  }
  if (schema.items !== undefined) forEachField(schema.items, visit);
}

describe('loadSchemaFiles', () => {
  it('loads every schema from the repository by default', async () => {
    const files = await loadSchemaFiles();
    expect([...files.keys()]).toEqual(SCHEMA_NAMES);
    expect(files.get('market-tick')?.fullName).toBe('io.indexflow.MarketTick');
    expect(files.get('index-level')?.fullName).toBe('io.indexflow.IndexLevel');
  });

  it('documents every field and carries no binary floats or Avro decimals', async () => {
    for (const name of SCHEMA_NAMES) {
      const parsed = JSON.parse(await readFile(join(DEFAULT_SCHEMAS_DIR, `${name}.avsc`), 'utf8')) as Json;
      forEachField(parsed, (field) => {
        expect(typeof field.doc, `${name}.${String(field.name)} has a doc`).toBe('string');
      });
      // Decimals travel as strings (schemas/README.md): these types would lose or fix precision.
      expect(JSON.stringify(parsed)).not.toMatch(/"(double|float|bytes|fixed|decimal)"/);
    }
  });

  it('keeps the CorporateAction copy inside index-adjustment.avsc equal to corporate-action.avsc', async () => {
    const read = async (name: string) =>
      JSON.parse(await readFile(join(DEFAULT_SCHEMAS_DIR, `${name}.avsc`), 'utf8')) as {
        fields: { name: string; type: { items?: unknown } }[];
      };
    const adjustment = await read('index-adjustment');
    const actions = adjustment.fields.find((field) => field.name === 'actions');
    expect(actions?.type.items).toEqual(await read('corporate-action'));
  });

  it('reads from an override directory and names a broken file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'indexflow-schemas-'));
    try {
      await writeFile(
        join(dir, 'fx-rate.avsc'),
        '{"type": "record", "name": "FxRate", "namespace": "other"}',
      );
      await expect(loadSchemaFile('fx-rate', dir)).rejects.toMatchObject({
        name: 'SchemaFileError',
        file: join(dir, 'fx-rate.avsc'),
        retriable: false,
      });
      await expect(loadSchemaFile('market-tick', dir)).rejects.toBeInstanceOf(SchemaFileError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
