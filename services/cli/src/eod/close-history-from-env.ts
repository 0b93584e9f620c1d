import { RedisCloseHistory } from '@indexflow/close-history';
import { openRedis, redisTlsCaFileFromEnv } from '@indexflow/redis-state';
import type { Redis } from 'ioredis';

/** A usage problem of the EOD commands; printed as `error: …` with exit code 2. */
export class EodUsageError extends Error {
  override readonly name = 'EodUsageError';
}

/**
 * Opens the close history named by REDIS_URL (with REDIS_TLS_CA_FILE, as the services read it)
 * under TOPIC_PREFIX (or `indexflow`), the prefix the calculator's own keys use. The caller quits
 * the returned Redis client.
 */
export async function openCloseHistory(
  env: Record<string, string | undefined>,
): Promise<{ history: RedisCloseHistory; redis: Redis }> {
  const url = env.REDIS_URL;
  if (!url) throw new EodUsageError('set REDIS_URL (e.g. eval "$(bash scripts/services.sh env)")');
  const redis = await openRedis(url, { maxRetriesPerRequest: 2, tlsCaFile: redisTlsCaFileFromEnv(env) });
  const prefix = env.TOPIC_PREFIX ? env.TOPIC_PREFIX : undefined;
  return { history: new RedisCloseHistory({ redis, ...(prefix === undefined ? {} : { prefix }) }), redis };
}
