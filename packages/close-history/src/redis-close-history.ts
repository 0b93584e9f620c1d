import { type IndexCloseRecord, requireCloseRecord } from '@indexflow/kafka';
import type { Redis } from 'ioredis';
import { StoredCloseError } from './close-history-errors.js';
import { type CloseHistoryKeys, closeHistoryKeys, dateScore } from './close-history-keys.js';

export interface CloseRange {
  /** First trading date, inclusive (YYYY-MM-DD). */
  readonly from?: string;
  /** Last trading date, inclusive. */
  readonly to?: string;
}

/**
 * The official-close history in Redis: one IndexClose record per (index, trading date), stored
 * as the JSON of the Avro record so its decimal strings are byte for byte what the calculator
 * published. Writing a close again replaces it, so redelivery and backfill are idempotent.
 */
export class RedisCloseHistory {
  readonly #redis: Redis;
  readonly #keys: CloseHistoryKeys;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.#redis = options.redis;
    this.#keys = closeHistoryKeys(options.prefix);
  }

  async put(close: IndexCloseRecord): Promise<void> {
    const keys = this.#keys;
    // Both keys carry the index's hash tag, so this MULTI stays within one cluster slot.
    await this.#redis
      .multi()
      .hset(keys.closes(close.indexId), close.tradingDate, JSON.stringify(close))
      .zadd(keys.dates(close.indexId), dateScore(close.tradingDate), close.tradingDate)
      .exec();
    await this.#redis.sadd(keys.indices, close.indexId);
  }

  async get(indexId: string, date: string): Promise<IndexCloseRecord | null> {
    const text = await this.#redis.hget(this.#keys.closes(indexId), date);
    return text === null ? null : this.#decode(indexId, date, text);
  }

  /** The closes of an index in date order, optionally within [from, to]. */
  async range(indexId: string, range: CloseRange = {}): Promise<IndexCloseRecord[]> {
    const min = range.from === undefined ? '-inf' : String(dateScore(range.from));
    const max = range.to === undefined ? '+inf' : String(dateScore(range.to));
    const dates = await this.#redis.zrangebyscore(this.#keys.dates(indexId), min, max);
    if (dates.length === 0) return [];
    const texts = await this.#redis.hmget(this.#keys.closes(indexId), ...dates);
    return dates.flatMap((date, i) => {
      const text = texts[i];
      return text === null || text === undefined ? [] : [this.#decode(indexId, date, text)];
    });
  }

  async indices(): Promise<string[]> {
    return (await this.#redis.smembers(this.#keys.indices)).sort();
  }

  #decode(indexId: string, date: string, text: string): IndexCloseRecord {
    try {
      return requireCloseRecord(JSON.parse(text));
    } catch (cause) {
      throw new StoredCloseError({ key: this.#keys.closes(indexId), field: date, cause });
    }
  }
}
