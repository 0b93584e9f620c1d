import { type Client, RestError, SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { describe, expect, it } from 'vitest';
import { SchemaRegistryError } from './kafka-errors.js';
import { loadSchemaFile } from './schema-files.js';
import { registerSchema, registerTopicSchemas } from './schema-registration.js';
import { AVRO_TOPICS, valueSubject } from './topics.js';

/** A client whose register() always fails with `failure`; nothing else is called. */
function failingClient(failure: unknown): Client {
  return {
    updateConfig: () => Promise.resolve({}),
    register: () => Promise.reject(failure),
  } as unknown as Client;
}

describe('registerTopicSchemas', () => {
  it('registers every Avro topic under <topic>-value and returns the ids', async () => {
    const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://'] });
    const registered = await registerTopicSchemas(client);
    expect(registered.map((schema) => schema.subject)).toEqual(
      AVRO_TOPICS.map((topic) => valueSubject(topic.name)),
    );
    expect((await client.getAllSubjects()).sort()).toEqual(registered.map((schema) => schema.subject).sort());
    for (const schema of registered) {
      const latest = await client.getLatestSchemaMetadata(schema.subject);
      expect(latest.id).toBe(schema.id);
      expect(JSON.parse(latest.schema).namespace).toBe('io.indexflow');
    }
  });

  it('is idempotent: registering again returns the same ids', async () => {
    const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://'] });
    const first = await registerTopicSchemas(client);
    expect(await registerTopicSchemas(client)).toEqual(first);
  });

  it('registers only the topics it is given', async () => {
    const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://'] });
    const registered = await registerTopicSchemas(client, {
      topics: [{ name: 'test.ticks', schema: 'market-tick' }],
    });
    expect(registered).toEqual([
      { subject: 'test.ticks-value', schemaName: 'market-tick', id: expect.any(Number) },
    ]);
  });
});

describe('registerSchema compatibility', () => {
  it('sets BACKWARD_TRANSITIVE on the subject before registering into it', async () => {
    const calls: string[] = [];
    const client = {
      updateConfig: (subject: string, update: { compatibility?: string }) => {
        calls.push(`config ${subject} ${update.compatibility}`);
        return Promise.resolve(update);
      },
      register: (subject: string) => {
        calls.push(`register ${subject}`);
        return Promise.resolve(7);
      },
    } as unknown as Client;
    await registerSchema(client, 'indexflow.fx-value', await loadSchemaFile('fx-rate'));
    expect(calls).toEqual(['config indexflow.fx-value BACKWARD_TRANSITIVE', 'register indexflow.fx-value']);
  });
});

describe('registerSchema failures', () => {
  it.each([
    ['an incompatible schema (409)', new RestError('incompatible', 409, 409), false],
    ['an invalid schema (422)', new RestError('invalid', 422, 42201), false],
    ['a registry fault (503)', new RestError('unavailable', 503, 50003), true],
    ['no answer at all', Object.assign(new Error('connect ECONNREFUSED'), { isAxiosError: true }), true],
  ])('wraps %s in a SchemaRegistryError with the subject', async (_case, failure, retriable) => {
    const schema = await loadSchemaFile('fx-rate');
    const error = await registerSchema(failingClient(failure), 'indexflow.fx-value', schema).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ subject: 'indexflow.fx-value', retriable, cause: failure });
    expect((error as Error).message).toContain('indexflow.fx-value');
  });
});
