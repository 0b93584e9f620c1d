// Redis over TLS with a private CA: a redis-server that speaks only TLS, its certificate signed by
// a throw-away CA made here with openssl. Every service and command connects through openRedis
// with REDIS_URL=rediss://… and REDIS_TLS_CA_FILE; with the CA the connection works, without it
// the certificate is refused at once with a message that names the setting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisCloseHistory } from '@indexflow/close-history';
import type { IndexCloseRecord } from '@indexflow/kafka';
import { openRedis, RedisCertificateError } from '@indexflow/redis-state';
import { uniqueName } from '@indexflow/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli-process.js';
import { PrivateRedis } from './support/private-redis.js';
import { makeTestCertificates, type TestCertificates } from './support/test-certificates.js';

const PASSWORD = 'tls-redis-pass-41c7-never-printed';

const CLOSE: IndexCloseRecord = {
  indexId: '995365.SSI',
  tradingDate: '2025-03-20',
  currency: 'CNY',
  closeTime: Date.parse('2025-03-20T07:00:00Z'),
  level: '1234.5678',
  prevClose: null,
  open: '1230',
  high: '1240',
  low: '1220',
  divisor: '1000',
  marketValue: '1234567.8',
  fx: null,
  constituents: [],
};

describe('Redis over TLS with a private CA (REDIS_TLS_CA_FILE)', () => {
  let dir: string;
  let certificates: TestCertificates;
  let redis: PrivateRedis;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'indexflow-redis-tls-'));
    certificates = makeTestCertificates(dir);
    redis = await PrivateRedis.start({ appendOnly: false, password: PASSWORD, tls: certificates });
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the CA, and refuses the certificate without it, naming the setting', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const trusted = await openRedis(redis.url, { tlsCaFile: certificates.caFile });
    try {
      expect(await trusted.ping()).toBe('PONG');
    } finally {
      trusted.disconnect();
    }
    const refused = await openRedis(redis.url).then(
      (client) => {
        client.disconnect();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RedisCertificateError);
    const error = refused as RedisCertificateError;
    expect(error.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/presented a certificate this process does not trust/);
    expect(error.message).toContain('set REDIS_TLS_CA_FILE');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('serves a command over rediss:// with REDIS_TLS_CA_FILE, and stops it with exit 2 without', async () => {
    const prefix = uniqueName('tls');
    const writer = await openRedis(redis.url, { tlsCaFile: certificates.caFile });
    try {
      await new RedisCloseHistory({ redis: writer, prefix }).put(CLOSE);
    } finally {
      writer.disconnect();
    }
    const env = { REDIS_URL: redis.url, TOPIC_PREFIX: prefix };
    const [trusted, untrusted] = await Promise.all([
      runCli(['history', '--index', CLOSE.indexId], { ...env, REDIS_TLS_CA_FILE: certificates.caFile }),
      runCli(['history', '--index', CLOSE.indexId], env),
    ]);
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(trusted.stdout).toMatch(/^2025-03-20,995365\.SSI,1234\.5678/m);
    expect(untrusted.status, untrusted.stderr).toBe(2);
    expect(untrusted.stderr).toMatch(/SELF_SIGNED_CERT_IN_CHAIN.*set REDIS_TLS_CA_FILE/);
    expect(untrusted.stderr).not.toContain(PASSWORD);
  }, 30_000);
});
