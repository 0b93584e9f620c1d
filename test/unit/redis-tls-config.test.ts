// REDIS_TLS_CA_FILE is checked when each service loads its configuration, as KAFKA_SSL_CA_FILE is:
// a service given an unusable CA file stops at start with the key named, never with the URL's password.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig as loadCorporateActions } from '../../services/corporate-actions/src/config.js';
import { loadConfig as loadGateway } from '../../services/gateway/src/config.js';
import { loadConfig as loadCalculator } from '../../services/index-calculator/src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'indexflow-redis-tls-config-'));
const NOT_PEM = join(dir, 'not.pem');
writeFileSync(NOT_PEM, 'not a certificate\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  AUTH_MODE: 'open',
};
const SERVICES = {
  'index-calculator': loadCalculator,
  'corporate-actions': loadCorporateActions,
  gateway: loadGateway,
} as const;

const problem = (load: (env: Record<string, string>) => unknown, env: Record<string, string>) => {
  try {
    load({ ...BASE, ...env });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe.each(Object.entries(SERVICES))('%s: REDIS_TLS_CA_FILE at config load', (_name, load) => {
  it('is optional, and kept for a rediss:// URL when set', () => {
    expect(problem(load, { REDIS_URL: 'rediss://redis:6380' })).toBe('');
    const config = load({ ...BASE, REDIS_URL: 'rediss://redis:6380' }) as { REDIS_TLS_CA_FILE?: string };
    expect(config.REDIS_TLS_CA_FILE).toBeUndefined();
  });

  it('refuses a file that is no certificate, or one beside a URL without TLS', () => {
    expect(
      problem(load, { REDIS_URL: 'rediss://:hunter2-redis@redis:6380', REDIS_TLS_CA_FILE: NOT_PEM }),
    ).toContain(`REDIS_TLS_CA_FILE: ${NOT_PEM} holds no PEM certificate`);
    const plain = problem(load, {
      REDIS_URL: 'redis://:hunter2-redis@redis:6379',
      REDIS_TLS_CA_FILE: join(dir, 'absent.pem'),
    });
    expect(plain).toContain('REDIS_TLS_CA_FILE: needs a TLS REDIS_URL (rediss://host:port), not redis://');
    expect(plain).not.toContain('hunter2');
  });
});
