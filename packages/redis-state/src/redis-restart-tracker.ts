// The RestartTracker port over Redis: one small hash beside the calculator's state, written when
// a run starts, deleted when it stops cleanly and marked `stopped` when an outage ends it, so an
// unmarked record found at start means the last run died.
import {
  decideRestart,
  type InputOffsets,
  type RestartRecord,
  type RestartTracker,
  type RestartVerdict,
} from '@indexflow/pipeline';
import type { Redis } from 'ioredis';
import { createKeyLayout } from './key-layout.js';
import { RedisOperationError } from './redis-errors.js';

export interface RedisRestartTrackerOptions {
  /** The caller owns the connection. */
  readonly redis: Redis;
  readonly calculatorId: string;
  readonly prefix?: string;
  /** N: a record that crashes the service N times is dead-lettered (see decideRestart). At least 2. */
  readonly restarts: number;
}

export class RedisRestartTracker implements RestartTracker {
  readonly key: string;
  readonly #redis: Redis;
  readonly #restarts: number;

  constructor(options: RedisRestartTrackerOptions) {
    this.key = createKeyLayout({ calculatorId: options.calculatorId, prefix: options.prefix }).restarts;
    this.#redis = options.redis;
    this.#restarts = options.restarts;
  }

  async begin(from: InputOffsets | null): Promise<RestartVerdict> {
    const previous = parseRecord(await this.#run('read', () => this.#redis.hgetall(this.key)));
    const { verdict, record } = decideRestart(previous, from, this.#restarts);
    await this.#run('write', () =>
      this.#redis.hset(this.key, {
        offsets: record.offsets,
        crashes: String(record.crashes),
        isolated: record.isolated ? '1' : '0',
        stopped: '0',
      }),
    );
    return verdict;
  }

  async isolationDone(): Promise<void> {
    await this.#run('write', () => this.#redis.hset(this.key, 'isolated', '0'));
  }

  async outage(): Promise<void> {
    await this.#run('write', () => this.#redis.hset(this.key, 'stopped', '1'));
  }

  async end(): Promise<void> {
    await this.#run('delete', () => this.#redis.del(this.key));
  }

  async #run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      throw new RedisOperationError({ operation: `restart counter ${operation}`, key: this.key, cause });
    }
  }
}

/** The stored record, or null when there is none (or it is not one this code wrote). */
export function parseRecord(fields: Record<string, string>): RestartRecord | null {
  const crashes = Number(fields.crashes);
  if (fields.offsets === undefined || !Number.isSafeInteger(crashes) || crashes < 0) return null;
  return {
    offsets: fields.offsets,
    crashes,
    isolated: fields.isolated === '1',
    stopped: fields.stopped === '1',
  };
}
