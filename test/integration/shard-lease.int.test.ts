import { uniqueName, waitFor } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardLease } from '../../services/index-calculator/src/shard-lease.js';
import { serviceEndpoints } from './support/calculator-process.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(serviceEndpoints().redisUrl);
});
afterAll(() => redis.disconnect());

describe('ShardLease on real Redis', () => {
  it('lets one owner hold a shard at a time, and hands it over on release', async () => {
    const key = `${uniqueName('lease')}:{it-shard-0}:lease`;
    const first = new ShardLease(redis, key, 'first', 6000);
    const second = new ShardLease(redis, key, 'second', 6000);
    expect(await first.acquire(() => false, 20)).toBe(true);
    let cancelled = false;
    const waiting = second.acquire(() => cancelled, 20);
    // The second owner is still waiting while the first holds the lease.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await redis.get(key)).toBe('first');
    await first.release();
    expect(await waiting).toBe(true);
    expect(await redis.get(key)).toBe('second');
    // A release by a former owner leaves the new owner's lease alone.
    await first.release();
    expect(await redis.get(key)).toBe('second');
    cancelled = true;
    expect(await first.acquire(() => cancelled, 20)).toBe(false);
    await second.release();
    expect(await redis.get(key)).toBeNull();
  });

  it('renews the lease, takes it back when it vanished, and reports it lost to another owner', async () => {
    const key = `${uniqueName('lease')}:{it-shard-1}:lease`;
    const lease = new ShardLease(redis, key, 'owner', 300);
    expect(await lease.acquire(() => false, 20)).toBe(true);
    let lost = 0;
    lease.keep(() => {
      lost += 1;
    });
    // Renewed past its TTL.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await redis.get(key)).toBe('owner');
    // Redis lost the key (a restart without persistence): the renewal takes it back.
    await redis.del(key);
    await waitFor(async () => (await redis.get(key)) === 'owner', { timeoutMs: 5000 });
    expect(lost).toBe(0);
    await redis.set(key, 'someone-else', 'PX', 5000);
    await waitFor(() => lost === 1, { timeoutMs: 5000 });
    await lease.release();
    expect(await redis.get(key)).toBe('someone-else');
  });
});
