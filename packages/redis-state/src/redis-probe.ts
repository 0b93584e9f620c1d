import type { Redis } from 'ioredis';

/** Redis answers PING (a readiness probe for @indexflow/observability's DependencyProbes). */
export function redisProbe(redis: Redis): { readonly name: string; check(): Promise<unknown> } {
  return { name: 'redis', check: () => redis.ping() };
}
