import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTlsConfigError, redisTlsCaFileFromEnv, redisTlsOptions, redisTlsProblem } from './redis-tls.js';
import { TEST_CA_CERTIFICATE } from './test-ca-certificate.js';

const dir = mkdtempSync(join(tmpdir(), 'indexflow-redis-tls-'));
const CA = join(dir, 'ca.pem');
const NOT_PEM = join(dir, 'not.pem');
writeFileSync(CA, TEST_CA_CERTIFICATE);
writeFileSync(NOT_PEM, 'no certificate here\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TLS_URL = 'rediss://:secret-pw@redis.internal:6380';

describe('REDIS_TLS_CA_FILE', () => {
  it('is optional: unset (or empty) means the system CAs, and no TLS options', () => {
    expect(redisTlsCaFileFromEnv({ REDIS_URL: TLS_URL })).toBeUndefined();
    expect(redisTlsCaFileFromEnv({ REDIS_URL: 'redis://h:1', REDIS_TLS_CA_FILE: '' })).toBeUndefined();
    expect(redisTlsOptions(TLS_URL, undefined)).toEqual({});
  });

  it('with a rediss:// URL gives ioredis the file as the only CA', () => {
    expect(redisTlsCaFileFromEnv({ REDIS_URL: TLS_URL, REDIS_TLS_CA_FILE: CA })).toBe(CA);
    expect(redisTlsOptions(TLS_URL, CA)).toEqual({ tls: { ca: TEST_CA_CERTIFICATE } });
    expect(redisTlsProblem({ REDIS_URL: TLS_URL, REDIS_TLS_CA_FILE: CA })).toBeNull();
  });

  it('refuses a plain, Sentinel or missing URL, where the file would go unused', () => {
    for (const [url, shown] of [
      ['redis://:secret-pw@h:6379', 'redis://'],
      ['redis+sentinel://:secret-pw@s:26379/main', 'redis+sentinel://'],
      [undefined, 'an unset one'],
    ] as const) {
      const problem = redisTlsProblem({ REDIS_URL: url, REDIS_TLS_CA_FILE: CA });
      expect(problem).toBe(`REDIS_TLS_CA_FILE: needs a TLS REDIS_URL (rediss://host:port), not ${shown}`);
      expect(problem).not.toContain('secret-pw');
    }
  });

  it('refuses a missing file and a file that holds no certificate, naming the key', () => {
    expect(redisTlsProblem({ REDIS_URL: TLS_URL, REDIS_TLS_CA_FILE: join(dir, 'absent.pem') })).toMatch(
      /^REDIS_TLS_CA_FILE: cannot be read: ENOENT/,
    );
    expect(redisTlsProblem({ REDIS_URL: TLS_URL, REDIS_TLS_CA_FILE: NOT_PEM })).toBe(
      `REDIS_TLS_CA_FILE: ${NOT_PEM} holds no PEM certificate`,
    );
    expect(() => redisTlsOptions(TLS_URL, NOT_PEM)).toThrow(RedisTlsConfigError);
  });
});
