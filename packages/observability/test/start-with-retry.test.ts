import { describe, expect, it } from 'vitest';
import { isTransientStartFailure, startWithRetry } from '../src/start-with-retry.js';

const log = { warn() {} } as unknown as Parameters<typeof startWithRetry>[1]['log'];

function clock() {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    random: () => 1,
    waits,
  };
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('startWithRetry', () => {
  it('waits out a dependency that is not up yet, backing off, and returns the start', async () => {
    const c = clock();
    let calls = 0;
    const started = await startWithRetry(
      async () => {
        calls += 1;
        if (calls < 6) throw refused();
        return 'running';
      },
      { log, what: 'x', deadlineMs: 60_000, ...c },
    );
    expect(started).toBe('running');
    expect(c.waits).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('throws a fatal failure at once, and a transient one after the deadline', async () => {
    const c = clock();
    const fatal = Object.assign(new Error('bad password'), { retriable: false, cause: refused() });
    await expect(
      startWithRetry(() => Promise.reject(fatal), { log, what: 'x', deadlineMs: 60_000, ...c }),
    ).rejects.toBe(fatal);
    expect(c.waits).toEqual([]);
    await expect(
      startWithRetry(() => Promise.reject(refused()), { log, what: 'x', deadlineMs: 30_000, ...c }),
    ).rejects.toThrow('ECONNREFUSED');
    expect(c.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...c.waits)).toBe(10_000);
  });

  it('tells transient failures from fatal ones, looking through causes', () => {
    expect(isTransientStartFailure(refused())).toBe(true);
    expect(isTransientStartFailure(new Error('wrapped', { cause: refused() }))).toBe(true);
    expect(isTransientStartFailure(Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }))).toBe(
      true,
    );
    expect(isTransientStartFailure(Object.assign(new Error('x'), { retriable: true }))).toBe(true);
    expect(isTransientStartFailure(new Error('a bug'))).toBe(false);
    expect(isTransientStartFailure('not an error')).toBe(false);
  });
});
