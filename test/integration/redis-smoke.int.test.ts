// Proves the Redis the integration project runs on: a round trip and a Lua compare-and-set that
// refuses a write made against a stale version.
import { uniqueName } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// KEYS[1]: a hash {version, value}. ARGV[1]: the version the writer last read (0 = absent).
// ARGV[2]: the new value. Returns {1, newVersion} when written, {0, currentVersion} when refused.
const VERSIONED_SET_LUA = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then
  return {0, current}
end
local next = current + 1
redis.call('HSET', KEYS[1], 'version', next, 'value', ARGV[2])
return {1, next}
`;

interface VersionedRedis extends Redis {
  versionedSet(key: string, expectedVersion: number, value: string): Promise<[number, number]>;
}

let redis: VersionedRedis;
const prefix = uniqueName('smoke-redis');

beforeAll(async () => {
  const client = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 2 });
  client.defineCommand('versionedSet', { numberOfKeys: 1, lua: VERSIONED_SET_LUA });
  redis = client as VersionedRedis;
  await redis.connect();
});

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('redis (ioredis)', () => {
  it('round-trips strings, hashes and expiry', async () => {
    const key = `${prefix}:string`;
    expect(await redis.set(key, 'level-3001.25', 'PX', 60_000)).toBe('OK');
    expect(await redis.get(key)).toBe('level-3001.25');
    expect(await redis.pttl(key)).toBeGreaterThan(0);

    const hash = `${prefix}:hash`;
    await redis.hset(hash, { divisor: '1234.5678', version: '7' });
    expect(await redis.hgetall(hash)).toEqual({ divisor: '1234.5678', version: '7' });
  });

  it('writes through the versioned compare-and-set script when the version matches', async () => {
    const key = `${prefix}:cas-ok`;
    expect(await redis.versionedSet(key, 0, 'first')).toEqual([1, 1]);
    expect(await redis.versionedSet(key, 1, 'second')).toEqual([1, 2]);
    expect(await redis.hgetall(key)).toEqual({ version: '2', value: 'second' });
  });

  it('refuses a write made against a stale version and keeps the current value', async () => {
    const key = `${prefix}:cas-stale`;
    await redis.versionedSet(key, 0, 'v1');
    await redis.versionedSet(key, 1, 'v2');

    expect(await redis.versionedSet(key, 1, 'stale-writer')).toEqual([0, 2]);
    expect(await redis.versionedSet(key, 0, 'blind-writer')).toEqual([0, 2]);
    expect(await redis.hgetall(key)).toEqual({ version: '2', value: 'v2' });
  });

  it('runs the same script through EVAL', async () => {
    const key = `${prefix}:cas-eval`;
    expect(await redis.eval(VERSIONED_SET_LUA, 1, key, '0', 'x')).toEqual([1, 1]);
    expect(await redis.eval(VERSIONED_SET_LUA, 1, key, '0', 'y')).toEqual([0, 1]);
  });
});
