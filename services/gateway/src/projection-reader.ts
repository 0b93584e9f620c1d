// Reads the calculator's per-index projection from Redis (packages/redis-state: key-layout.ts,
// projection.ts). The projection is rewritten whole by every promote, after the Kafka transaction
// that published the batch's levels commits, so it holds the state of a level already on the topic
// (its `sequence` says which one).
import { createKeyLayout, type IndexProjection, parseIndexProjection } from '@indexflow/redis-state';
import type { Redis } from 'ioredis';
import { type ConstituentsSnapshot, constituentsFromProjection } from './constituents.js';
import { ProjectionReadError } from './gateway-errors.js';

export class ProjectionReader {
  readonly #redis: Redis;
  readonly #layout: ReturnType<typeof createKeyLayout>;

  /** `prefix` is the calculator's TOPIC_PREFIX (empty: the default `indexflow`). */
  constructor(options: { redis: Redis; calculatorId: string; prefix: string }) {
    this.#redis = options.redis;
    this.#layout = createKeyLayout({
      calculatorId: options.calculatorId,
      ...(options.prefix === '' ? {} : { prefix: options.prefix }),
    });
  }

  /** Index ids the calculator holds, sorted. */
  async indexIds(): Promise<string[]> {
    try {
      return (await this.#redis.smembers(this.#layout.indices)).sort();
    } catch (cause) {
      throw new ProjectionReadError(this.#layout.indices, cause);
    }
  }

  async index(indexId: string): Promise<IndexProjection | null> {
    const key = this.#layout.index(indexId);
    try {
      return parseIndexProjection(key, indexId, await this.#redis.hgetall(key));
    } catch (cause) {
      throw new ProjectionReadError(key, cause);
    }
  }

  /** Constituents with weights and contributions from the projection; null before the index is based. */
  async constituents(indexId: string): Promise<ConstituentsSnapshot | null> {
    const projection = await this.index(indexId);
    return projection === null ? null : constituentsFromProjection(projection);
  }
}
