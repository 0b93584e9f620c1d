import { describe, expect, it } from 'vitest';
import { type RunningShard, type ShardLauncher, ShardOwnership } from './shard-ownership.js';

/** A launcher whose shards run until stopped or failed by the test; it records every step. */
function fakeLauncher() {
  const steps: string[] = [];
  const running = new Map<number, { fail: (e: Error) => void; finish: () => void }>();
  const busy = new Set<number>();
  const freed = new Map<number, () => void>();
  const launcher: ShardLauncher = {
    async waitUntilFree(shard, cancelled) {
      while (busy.has(shard) && !cancelled()) {
        await new Promise<void>((resolve) => freed.set(shard, resolve));
      }
    },
    async start(shard): Promise<RunningShard> {
      steps.push(`start ${shard}`);
      let finish!: () => void;
      let fail!: (e: Error) => void;
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      done.catch(() => {});
      running.set(shard, { finish, fail });
      return {
        done,
        ready: true,
        async stop() {
          steps.push(`stop ${shard}`);
          finish();
          await done.catch(() => {});
        },
      };
    },
  };
  return {
    launcher,
    steps,
    running,
    occupy: (shard: number) => busy.add(shard),
    free: (shard: number) => {
      busy.delete(shard);
      freed.get(shard)?.();
    },
  };
}

const silent = { info() {}, warn() {}, error() {} };
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await tick();
};

function ownership(launcher: ShardLauncher) {
  return new ShardOwnership({ launcher, logger: silent, retryDelayMs: 0, sleep: async () => {} });
}

describe('ShardOwnership', () => {
  it('starts assigned shards, stops revoked ones, and leaves kept ones running', async () => {
    const fake = fakeLauncher();
    const owner = ownership(fake.launcher);
    owner.assign([0, 1]);
    await settle();
    owner.assign([1, 2]);
    await settle();
    expect(fake.steps).toEqual(['start 0', 'start 1', 'stop 0', 'start 2']);
    expect(owner.owned).toEqual([1, 2]);
    await owner.releaseAll();
    expect(fake.steps.slice(4).sort()).toEqual(['stop 1', 'stop 2']);
    expect(owner.owned).toEqual([]);
  });

  it('starts a shard only once its previous owner has left it', async () => {
    const fake = fakeLauncher();
    fake.occupy(3);
    const owner = ownership(fake.launcher);
    owner.assign([3]);
    await settle();
    expect(fake.steps).toEqual([]);
    expect(owner.ready).toBe(false);
    fake.free(3);
    await settle();
    expect(fake.steps).toEqual(['start 3']);
    expect(owner.ready).toBe(true);
  });

  it('gives up waiting when the shard is revoked before its previous owner left', async () => {
    const fake = fakeLauncher();
    fake.occupy(4);
    const owner = ownership(fake.launcher);
    owner.assign([4]);
    await settle();
    owner.assign([]);
    fake.free(4);
    await owner.releaseAll();
    expect(fake.steps).toEqual([]);
  });

  it('restarts a failed shard while it stays assigned', async () => {
    const fake = fakeLauncher();
    const owner = ownership(fake.launcher);
    owner.assign([5]);
    await settle();
    fake.running.get(5)!.fail(new Error('fenced'));
    await settle();
    expect(fake.steps).toEqual(['start 5', 'start 5']);
    await owner.releaseAll();
    expect(fake.steps).toEqual(['start 5', 'start 5', 'stop 5']);
  });

  it('restarts a shard revoked and re-assigned only after its release has finished', async () => {
    const fake = fakeLauncher();
    const owner = ownership(fake.launcher);
    owner.assign([6]);
    await settle();
    owner.assign([]);
    owner.assign([6]);
    await settle();
    expect(fake.steps).toEqual(['start 6', 'stop 6', 'start 6']);
    await owner.releaseAll();
  });
});
