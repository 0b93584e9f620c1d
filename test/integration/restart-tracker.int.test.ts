// The poison-pill restart counter on a real Redis: one hash beside the calculator's state that a
// crashed run leaves behind and a clean stop deletes.
import { RedisRestartTracker } from '@indexflow/redis-state';
import { uniqueName } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

let redis: Redis;
const prefix = uniqueName('restarts');

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
});

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const at = { 'ticks:0': '100' };

describe('RedisRestartTracker', () => {
  it('counts runs that die at one offset, isolates, then names the poison pill; a clean stop clears it', async () => {
    const calculatorId = uniqueName('calc');
    // A new tracker per run, as after a process restart.
    const start = () => new RedisRestartTracker({ redis, calculatorId, prefix, restarts: 3 }).begin(at);
    expect(await start()).toEqual({ mode: 'normal', crashes: 0 });
    expect(await start()).toEqual({ mode: 'normal', crashes: 1 });
    expect(await start()).toEqual({ mode: 'isolate', crashes: 2 });
    expect(await start()).toEqual({ mode: 'poison', crashes: 3 });
    const tracker = new RedisRestartTracker({ redis, calculatorId, prefix, restarts: 3 });
    expect(tracker.key).toBe(`${prefix}:{${calculatorId}}:restarts`);
    await tracker.end();
    expect(await redis.exists(tracker.key)).toBe(0);
    expect(await start()).toEqual({ mode: 'normal', crashes: 0 });
  });

  it('keeps the count across a run an outage ended, without counting it', async () => {
    const calculatorId = uniqueName('calc');
    const tracker = () => new RedisRestartTracker({ redis, calculatorId, prefix, restarts: 3 });
    await tracker().begin(at);
    expect(await tracker().begin(at)).toEqual({ mode: 'normal', crashes: 1 });
    await tracker().outage();
    expect(await tracker().begin(at)).toEqual({ mode: 'normal', crashes: 1 });
    expect(await tracker().begin(at)).toEqual({ mode: 'isolate', crashes: 2 });
  });

  it('stops isolating once the isolated records are committed', async () => {
    const calculatorId = uniqueName('calc');
    const tracker = () => new RedisRestartTracker({ redis, calculatorId, prefix, restarts: 2 });
    await tracker().begin(at);
    expect(await tracker().begin(at)).toEqual({ mode: 'isolate', crashes: 1 });
    await tracker().isolationDone();
    expect(await tracker().begin({ 'ticks:0': '500' })).toEqual({ mode: 'isolate', crashes: 1 });
  });
});
