import type { Redis } from 'ioredis';

/**
 * A shard's lease in Redis: whoever holds it may run the shard. Kafka's group assignment says who
 * SHOULD run a shard, but the previous owner may still be starting or committing its last batch
 * when the next one is told; the lease makes the hand-over strict. A crashed holder's lease
 * expires after `ttlMs`. Correctness never rests on it alone: a holder that lost it without
 * noticing (a long pause) is fenced by the transactional id and refused by the state version check.
 */
export class ShardLease {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Waits until the lease is this owner's (true), or `cancelled()` turned true first (false). */
  async acquire(cancelled: () => boolean, pollMs: number): Promise<boolean> {
    while (!cancelled()) {
      const taken = await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX');
      if (taken === 'OK') return true;
      if ((await this.redis.get(this.key)) === this.owner) return true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return false;
  }

  /** Renews the lease every third of its TTL; calls `onLost` once if another owner has it. */
  keep(onLost: () => void): void {
    this.#timer = setInterval(
      () => {
        // Taken back when the key vanished (Redis restarted without persistence); lost only when
        // another owner holds it.
        this.redis
          .eval(RENEW, 1, this.key, this.owner, String(this.ttlMs))
          .then((kept) => {
            if (kept === 0) {
              this.#stop();
              onLost();
            }
          })
          .catch(() => {});
      },
      Math.floor(this.ttlMs / 3),
    );
    this.#timer.unref();
  }

  /** Stops renewing and deletes the lease if it is still this owner's. */
  async release(): Promise<void> {
    this.#stop();
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}

const RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
