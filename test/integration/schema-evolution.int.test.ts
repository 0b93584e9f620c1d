// Schema evolution on the real registry: subjects are BACKWARD_TRANSITIVE, a v2 with an optional
// field is accepted and read both ways (new readers read v1 data, old readers read v2 data), a
// breaking v2 is refused, and a producer pinned to its schema file keeps writing that version
// after the subject has moved on.
import {
  createAvroSerdes,
  createSchemaRegistryClient,
  type IndexLevelRecord,
  loadSchemaFile,
  registerSchema,
  SchemaRegistryError,
  SUBJECT_COMPATIBILITY,
  valueSubject,
} from '@indexflow/kafka';
import { uniqueName } from '@indexflow/testkit';
import avro from 'avsc';
import { describe, expect, inject, it } from 'vitest';

const registry = createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 });

type Field = { name: string; type: unknown; default?: unknown };
function withField(schemaText: string, field: Field): string {
  const schema = JSON.parse(schemaText) as { fields: Field[] };
  return JSON.stringify({ ...schema, fields: [...schema.fields, field] });
}

const level: IndexLevelRecord = {
  indexId: '995365',
  currency: 'CNY',
  eventTime: Date.UTC(2026, 10, 27, 1, 30),
  sequence: 1,
  trigger: 'TICK',
  triggerSymbol: '600519.SH',
  level: '1008.6292988784',
  prevClose: '1000',
  change: '8.6292988784',
  changePercent: '0.8629',
  open: null,
  high: null,
  low: null,
  divisor: '123456.789',
  marketValue: '124523456.7',
  totalReturnLevel: null,
  netTotalReturnLevel: null,
  fxObservation: null,
  stale: false,
  constituents: null,
};

describe('schema evolution (BACKWARD_TRANSITIVE per subject)', () => {
  it('accepts an optional field, reads both ways, refuses a required one, and pins the writer to its file', async () => {
    const topic = uniqueName('evolve-levels');
    const subject = valueSubject(topic);
    const v1 = await loadSchemaFile('index-level');
    const v1Id = (await registerSchema(registry, subject, v1)).id;
    const config = await registry.getConfig(subject);
    expect(config.compatibilityLevel ?? config.compatibility).toBe(SUBJECT_COMPATIBILITY);

    const pinned = createAvroSerdes<IndexLevelRecord>(registry, topic, undefined, {
      writerSchema: 'index-level',
    });
    const v1Bytes = (await pinned.encoder())(level);

    const v2Text = withField(v1.schema, { name: 'note', type: ['null', 'string'], default: null });
    const v2Id = (await registerSchema(registry, subject, { ...v1, schema: v2Text })).id;
    expect(v2Id).not.toBe(v1Id);

    const breaking = withField(v1.schema, { name: 'owner', type: 'string' });
    const refused = await registerSchema(registry, subject, { ...v1, schema: breaking }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(SchemaRegistryError);
    expect(refused).toMatchObject({ subject, retriable: false });

    // The pinned producer still writes v1 (looked up by content); an unpinned one writes the latest.
    const pinnedAgain = createAvroSerdes<IndexLevelRecord>(registry, topic, undefined, {
      writerSchema: 'index-level',
    });
    expect((await pinnedAgain.serialize(level)).readInt32BE(1)).toBe(v1Id);
    const latest = createAvroSerdes<IndexLevelRecord & { note: string | null }>(registry, topic);
    const v2Bytes = await latest.serialize({ ...level, note: 'rebalanced' });
    expect(v2Bytes.readInt32BE(1)).toBe(v2Id);

    // New reader, old data: the optional field takes its default.
    const v1Type = avro.Type.forSchema(JSON.parse(v1.schema));
    const v2Type = avro.Type.forSchema(JSON.parse(v2Text));
    const newReadsOld = v2Type.fromBuffer(v1Bytes.subarray(5), v2Type.createResolver(v1Type)) as {
      note: unknown;
    };
    expect(newReadsOld).toMatchObject({ indexId: '995365', note: null });
    // Old reader, new data: the unknown field is skipped.
    const oldReadsNew = v1Type.fromBuffer(v2Bytes.subarray(5), v1Type.createResolver(v2Type)) as Record<
      string,
      unknown
    >;
    expect(oldReadsNew).toMatchObject({ indexId: '995365', level: '1008.6292988784' });
    expect('note' in oldReadsNew).toBe(false);
    // The consumers' serdes decode either version by the id in the bytes.
    expect(await pinned.deserialize(v2Bytes)).toMatchObject({ note: 'rebalanced' });
    expect(await latest.deserialize(v1Bytes)).toMatchObject({ indexId: '995365' });
  });

  it('registers one subject from several processes at once (the registry creates its rule once)', async () => {
    const subject = valueSubject(uniqueName('race'));
    const file = await loadSchemaFile('index-level');
    // Separate clients, as separate processes (a calculator and `admin init`) would be.
    const clients = Array.from({ length: 6 }, () =>
      createSchemaRegistryClient({ url: inject('schemaRegistryUrl'), maxRetries: 1 }),
    );
    const results = await Promise.all(clients.map((client) => registerSchema(client, subject, file)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const config = await registry.getConfig(subject);
    expect(config.compatibilityLevel ?? config.compatibility).toBe(SUBJECT_COMPATIBILITY);
  });
});
