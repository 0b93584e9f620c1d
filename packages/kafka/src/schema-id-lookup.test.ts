import { RestError } from '@confluentinc/schemaregistry';
import { describe, expect, it } from 'vitest';
import { SchemaRegistryError, SchemaUnavailableError, UnknownSchemaIdError } from './kafka-errors.js';
import { NegativeCache } from './negative-cache.js';
import { SchemaIdLookup } from './schema-id-lookup.js';

/** A registry whose answer per id is scripted; counts requests. */
function registry(
  answer: (id: number, call: number) => string | Error,
  probe: () => Error | null = () => null,
) {
  const calls = new Map<number, number>();
  let probes = 0;
  const waits: number[] = [];
  let clock = 0;
  const lookup = new SchemaIdLookup<string>(
    'ticks-value',
    async (id) => {
      const call = (calls.get(id) ?? 0) + 1;
      calls.set(id, call);
      const result = answer(id, call);
      if (result instanceof Error) throw result;
      return result;
    },
    async () => {
      probes += 1;
      const failure = probe();
      if (failure) throw failure;
    },
    {
      negativeCacheSize: 2,
      negativeTtlMs: 1000,
      attempts: 3,
      backoffMs: 100,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );
  return {
    lookup,
    calls: (id: number) => calls.get(id) ?? 0,
    probes: () => probes,
    waits,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const notFound = () => new RestError('Schema not found', 404, 40403);
const unavailable = () => new RestError('Service unavailable', 503, 50301);

describe('SchemaIdLookup', () => {
  it('refuses an unknown id once with one request, then from the negative cache until the TTL ends', async () => {
    const r = registry((id) => (id === 7 ? notFound() : 'schema'));
    for (let i = 0; i < 50; i += 1) {
      await expect(r.lookup.resolve(7)).rejects.toBeInstanceOf(UnknownSchemaIdError);
    }
    expect(r.calls(7)).toBe(1);
    await expect(r.lookup.resolve(7)).rejects.toMatchObject({ schemaId: 7, status: 404, retriable: false });
    r.advance(1000);
    await expect(r.lookup.resolve(7)).rejects.toBeInstanceOf(UnknownSchemaIdError);
    expect(r.calls(7)).toBe(2);
  });

  it('retries 5xx with doubling backoff and returns the schema once it answers', async () => {
    const r = registry((_, call) => (call < 3 ? unavailable() : 'schema'));
    await expect(r.lookup.resolve(1)).resolves.toBe('schema');
    expect(r.calls(1)).toBe(3);
    expect(r.waits).toEqual([100, 200]);
    expect(r.probes()).toBe(0);
  });

  it('refuses one id as schema_unavailable when its lookups keep failing but the registry answers', async () => {
    const r = registry((id) => (id === 9 ? unavailable() : 'schema'));
    await expect(r.lookup.resolve(9)).rejects.toBeInstanceOf(SchemaUnavailableError);
    expect(r.calls(9)).toBe(3);
    expect(r.probes()).toBe(1);
    await expect(r.lookup.resolve(9)).rejects.toMatchObject({ schemaId: 9, attempts: 3, retriable: false });
    expect(r.calls(9)).toBe(3);
    await expect(r.lookup.resolve(1)).resolves.toBe('schema');
  });

  it('raises a retriable registry error, and remembers nothing, when the registry is down', async () => {
    const r = registry(
      () => unavailable(),
      () => unavailable(),
    );
    const error = await r.lookup.resolve(9).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ retriable: true, status: 503 });
    await r.lookup.resolve(9).catch(() => {});
    expect(r.calls(9)).toBe(6);
  });

  it('shares one lookup between concurrent records of the same id', async () => {
    const r = registry(() => 'schema');
    await Promise.all([r.lookup.resolve(3), r.lookup.resolve(3), r.lookup.resolve(3)]);
    expect(r.calls(3)).toBe(1);
  });
});

describe('NegativeCache', () => {
  it('keeps at most its size, dropping the oldest refusal first', () => {
    const cache = new NegativeCache<number, string>(2, 1000);
    cache.set(1, 'a', 0);
    cache.set(2, 'b', 0);
    cache.set(3, 'c', 0);
    expect(cache.size).toBe(2);
    expect(cache.get(1, 0)).toBeUndefined();
    expect(cache.get(2, 0)).toBe('b');
    expect(cache.get(3, 999)).toBe('c');
    expect(cache.get(3, 1000)).toBeUndefined();
  });
});
