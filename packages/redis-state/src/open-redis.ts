import { Redis, type RedisOptions } from 'ioredis';
import { RedisStateError } from './redis-errors.js';

/** Replies that mean the credentials are wrong: retrying with the same URL can never succeed. */
const CREDENTIALS_REFUSED = /WRONGPASS|NOAUTH|invalid username-password|invalid password/i;

/** The URL with its user and password masked, for messages. */
export function maskedRedisUrl(url: string): string {
  return url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** Redis refused the credentials of REDIS_URL. Says what to check, never prints the password. */
export class RedisCredentialsError extends RedisStateError {
  constructor(
    readonly url: string,
    reply: string,
  ) {
    super(
      `Redis at ${maskedRedisUrl(url)} refused the credentials in REDIS_URL (${reply.slice(0, 200)}); ` +
        'check the user and password (redis://user:password@host:port, rediss:// for TLS)',
      { retriable: false },
    );
  }
}

/**
 * Connects to REDIS_URL the way every service and command does: commands fail after
 * `maxRetriesPerRequest` retries instead of queueing for ever, and a refused password stops the
 * reconnect loop at once (RedisCredentialsError) instead of retrying until some timeout.
 */
export async function openRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  let refused: string | null = null;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    ...options,
    retryStrategy: (times) => (refused === null ? Math.min(times * 100, 2000) : null),
  });
  redis.on('error', (error: Error) => {
    if (CREDENTIALS_REFUSED.test(error.message)) refused = error.message;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const message = error instanceof Error ? error.message : String(error);
    if (refused !== null || CREDENTIALS_REFUSED.test(message))
      throw new RedisCredentialsError(url, refused ?? message);
    throw error;
  }
  return redis;
}
