import { Redis, type RedisOptions } from 'ioredis';
import { RedisStateError } from './redis-errors.js';
import { redisTarget } from './redis-target.js';

/** Replies that mean the credentials are wrong: retrying with the same URL can never succeed. */
const CREDENTIALS_REFUSED = /WRONGPASS|NOAUTH|invalid username-password|invalid password/i;

/** The URL with its user and password masked, for messages. */
export function maskedRedisUrl(url: string): string {
  return url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** Redis refused the credentials of REDIS_URL. Says what to check, never prints the password. */
export class RedisCredentialsError extends RedisStateError {
  /** REDIS_URL with its credentials masked: errors are logged with their fields. */
  readonly url: string;

  constructor(url: string, reply: string) {
    super(
      `Redis at ${maskedRedisUrl(url)} refused the credentials in REDIS_URL (${reply.slice(0, 200)}); ` +
        'check the user and password (redis://user:password@host:port, rediss:// for TLS)',
      { retriable: false },
    );
    this.url = maskedRedisUrl(url);
  }
}

/** Redis could not be reached (refused, timed out, closed): retriable, it may be starting. */
export class RedisUnavailableError extends RedisStateError {
  /** REDIS_URL with its credentials masked: errors are logged with their fields. */
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(
      `Redis at ${maskedRedisUrl(url)} is not reachable (${cause instanceof Error ? cause.message.slice(0, 200) : String(cause)})`,
      { retriable: true, cause },
    );
    this.url = maskedRedisUrl(url);
  }
}

/**
 * Connects to REDIS_URL the way every service and command does: commands fail after
 * `maxRetriesPerRequest` retries instead of queueing for ever, and a refused password stops the
 * reconnect loop at once (RedisCredentialsError) instead of retrying until some timeout, and an
 * unreachable server is a RedisUnavailableError (retriable: start-up waits for it).
 */
export async function openRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  let refused: string | null = null;
  let lastError: unknown = null;
  const common: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    ...options,
    retryStrategy: (times) => (refused === null ? Math.min(times * 100, 2000) : null),
  };
  const target = redisTarget(url, maskedRedisUrl(url));
  const redis =
    typeof target === 'string'
      ? new Redis(target, common)
      : new Redis({
          ...common,
          ...target,
          // A failover moves the primary: every reconnect asks the sentinels again.
          sentinelRetryStrategy: (times) => (refused === null ? Math.min(times * 100, 2000) : null),
        });
  redis.on('error', (error: Error) => {
    lastError = error;
    if (CREDENTIALS_REFUSED.test(error.message)) refused = error.message;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const message = error instanceof Error ? error.message : String(error);
    if (refused !== null || CREDENTIALS_REFUSED.test(message))
      throw new RedisCredentialsError(url, refused ?? message);
    // ioredis rejects with "Connection is closed."; the reason came as an 'error' event.
    throw new RedisUnavailableError(url, lastError ?? error);
  }
  return redis;
}
