import { Redis, type RedisOptions } from 'ioredis';
import { RedisStateError } from './redis-errors.js';
import { redisTarget } from './redis-target.js';
import { REDIS_TLS_CA_FILE, redisTlsOptions } from './redis-tls.js';

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

/**
 * Node's codes for a server certificate that does not verify: no CA, a wrong CA, a wrong name or
 * an expired certificate. Retrying with the same settings can never succeed.
 */
const CERTIFICATE_REFUSED =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** Redis's TLS certificate did not verify. Says which setting decides, never prints the password. */
export class RedisCertificateError extends RedisStateError {
  /** REDIS_URL with its credentials masked: errors are logged with their fields. */
  readonly url: string;
  /** Node's verification code, e.g. SELF_SIGNED_CERT_IN_CHAIN. */
  readonly code: string;

  constructor(url: string, error: Error & { code: string }) {
    super(
      `Redis at ${maskedRedisUrl(url)} presented a certificate this process does not trust ` +
        `(${error.code}: ${error.message.slice(0, 200)}); set ${REDIS_TLS_CA_FILE} to the PEM file ` +
        'of the CA that signed it, or check the host name in REDIS_URL against the certificate',
      { retriable: false, cause: error },
    );
    this.url = maskedRedisUrl(url);
    this.code = error.code;
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

export interface OpenRedisOptions extends RedisOptions {
  /** REDIS_TLS_CA_FILE: the PEM CA that verifies a `rediss://` server (default: the system's CAs). */
  readonly tlsCaFile?: string | undefined;
}

/**
 * Connects to REDIS_URL the way every service and command does: commands fail after
 * `maxRetriesPerRequest` retries instead of queueing for ever; a refused password or an
 * untrusted certificate stops the reconnect loop at once (RedisCredentialsError,
 * RedisCertificateError) instead of retrying until some timeout, and an unreachable server is a
 * RedisUnavailableError (retriable: start-up waits for it).
 */
export async function openRedis(url: string, options: OpenRedisOptions = {}): Promise<Redis> {
  let refused: string | null = null;
  let untrusted: (Error & { code: string }) | null = null;
  let lastError: unknown = null;
  const { tlsCaFile, ...redisOptions } = options;
  const common: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    ...redisTlsOptions(url, tlsCaFile),
    ...redisOptions,
    retryStrategy: (times) => (refused === null && untrusted === null ? Math.min(times * 100, 2000) : null),
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
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_REFUSED.test(code))
      untrusted = error as Error & { code: string };
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const message = error instanceof Error ? error.message : String(error);
    if (refused !== null || CREDENTIALS_REFUSED.test(message))
      throw new RedisCredentialsError(url, refused ?? message);
    if (untrusted !== null) throw new RedisCertificateError(url, untrusted);
    // ioredis rejects with "Connection is closed."; the reason came as an 'error' event.
    throw new RedisUnavailableError(url, lastError ?? error);
  }
  return redis;
}
