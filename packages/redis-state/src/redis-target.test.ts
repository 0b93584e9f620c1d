import { describe, expect, it } from 'vitest';
import { RedisUrlError, redisTarget } from './redis-target.js';

describe('redisTarget', () => {
  it('passes a single-server URL through', () => {
    expect(redisTarget('redis://127.0.0.1:6379', 'm')).toBe('redis://127.0.0.1:6379');
    expect(redisTarget('rediss://:pw@host:6380/2', 'm')).toBe('rediss://:pw@host:6380/2');
  });

  it('reads the sentinels, the primary name, credentials and db of a sentinel URL', () => {
    expect(redisTarget('redis+sentinel://a:26379,b.example:26380/indexflow', 'm')).toEqual({
      sentinels: [
        { host: 'a', port: 26379 },
        { host: 'b.example', port: 26380 },
      ],
      name: 'indexflow',
    });
    expect(redisTarget('redis+sentinel://desk:p%40ss:word@a:1/main?db=3', 'm')).toEqual({
      sentinels: [{ host: 'a', port: 1 }],
      name: 'main',
      username: 'desk',
      sentinelUsername: 'desk',
      password: 'p@ss:word',
      sentinelPassword: 'p@ss:word',
      db: 3,
    });
  });

  it('refuses a sentinel URL without a primary name, with a bad sentinel or a bad db', () => {
    for (const url of [
      'redis+sentinel://a:26379',
      'redis+sentinel://a:26379/',
      'redis+sentinel://a/indexflow',
      'redis+sentinel://a:26379,b:99999/indexflow',
      'redis+sentinel://a:26379/indexflow?db=x',
    ])
      expect(() => redisTarget(url, 'masked-url'), url).toThrow(RedisUrlError);
    expect(() => redisTarget('redis+sentinel://a/x', 'masked-url')).toThrow(/masked-url.*host:port \(a\)/);
  });
});
