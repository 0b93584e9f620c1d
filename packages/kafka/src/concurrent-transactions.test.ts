import { describe, expect, it } from 'vitest';
import { retryConcurrentTransactions } from './concurrent-transactions.js';

const concurrent = () => Object.assign(new Error('concurrent'), { type: 'CONCURRENT_TRANSACTIONS' });

describe('retryConcurrentTransactions', () => {
  it('retries while the coordinator answers CONCURRENT_TRANSACTIONS, with growing waits', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await retryConcurrentTransactions(
      async () => {
        calls += 1;
        if (calls < 4) throw concurrent();
        return 'sent';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([5, 10, 20]);
  });

  it('gives up after its attempts, and at once on any other error', async () => {
    let calls = 0;
    const fail = (error: Error) => () => {
      calls += 1;
      return Promise.reject(error);
    };
    await expect(
      retryConcurrentTransactions(fail(concurrent()), { attempts: 3, sleep: async () => {} }),
    ).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
    expect(calls).toBe(3);
    calls = 0;
    const fenced = Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' });
    await expect(retryConcurrentTransactions(fail(fenced), { sleep: async () => {} })).rejects.toBe(fenced);
    expect(calls).toBe(1);
  });
});
