import type { RedisOptions } from 'ioredis';
import { RedisStateError } from './redis-errors.js';

/** REDIS_URL's scheme for a primary found through Redis Sentinel. */
export const SENTINEL_SCHEME = 'redis+sentinel:';

/** The schemes REDIS_URL accepts, and what a service's config says when it is missing or wrong. */
export const REDIS_URL_PATTERN = /^(rediss?|redis\+sentinel):\/\//;
export const REDIS_URL_HINT =
  'set REDIS_URL, e.g. redis://127.0.0.1:6379 (or redis+sentinel://host:port,…/<name>)';

/** A REDIS_URL that names no usable Redis. Carries the URL with its credentials masked. */
export class RedisUrlError extends RedisStateError {
  constructor(maskedUrl: string, reason: string) {
    super(
      `REDIS_URL ${maskedUrl.slice(0, 200)} ${reason}; use redis://host:port, rediss://host:port (TLS) ` +
        'or redis+sentinel://sentinel1:port,sentinel2:port/<primary name>',
      { retriable: false },
    );
  }
}

/**
 * What ioredis needs to reach REDIS_URL: the URL itself for one server (`redis://`, `rediss://`),
 * or, for `redis+sentinel://[user:password@]host:port[,host:port…]/<name>[?db=n]`, the sentinels
 * and the primary's name, so that after a failover every reconnect finds the new primary. The
 * URL's credentials are the data nodes' and, when the sentinels require them too, the sentinels'.
 */
export function redisTarget(url: string, masked: string): string | RedisOptions {
  if (!url.startsWith(`${SENTINEL_SCHEME}//`)) return url;
  const rest = url.slice(SENTINEL_SCHEME.length + 2);
  const at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/'));
  const credentials = at < 0 ? '' : rest.slice(0, at);
  const [hostList = '', pathAndQuery = ''] = rest.slice(at + 1).split(/\/(.*)/s);
  const [name = '', query = ''] = pathAndQuery.split('?');
  if (name === '') throw new RedisUrlError(masked, 'names no primary (the path after the sentinels)');
  const sentinels = hostList.split(',').map((hostPort) => {
    const match = /^([^:]+):(\d{1,5})$/.exec(hostPort);
    if (match === null || Number(match[2]) > 65_535)
      throw new RedisUrlError(masked, `has a sentinel that is not host:port (${hostPort.slice(0, 100)})`);
    return { host: match[1]!, port: Number(match[2]) };
  });
  const [user, password] = credentials === '' ? [] : credentials.split(/:(.*)/s).map(decodeURIComponent);
  const db = new URLSearchParams(query).get('db');
  if (db !== null && !/^\d{1,2}$/.test(db))
    throw new RedisUrlError(masked, `has db=${db.slice(0, 20)}, not a number`);
  return {
    sentinels,
    name: decodeURIComponent(name),
    ...(user ? { username: user, sentinelUsername: user } : {}),
    ...(password ? { password, sentinelPassword: password } : {}),
    ...(db === null ? {} : { db: Number(db) }),
  };
}
