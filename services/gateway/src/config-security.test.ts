// Unsafe configurations the gateway refuses to start with (issue: desk-grade gateway).
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_API_KEY_SHA256, DEVELOPMENT_JWT_SECRET, loadConfig } from './config.js';

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const DESKS = JSON.stringify([{ desk: 'eq', apiKeySha256: ['a'.repeat(64)], indices: ['*'] }]);

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig({ ...BASE, ...env });
    return '';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
};

describe('the gateway refuses unsafe configurations', () => {
  it('serves AUTH_MODE=open on loopback hosts only, unless explicitly overridden', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(problems({ AUTH_MODE: 'open', HOST: host }), host).toBe('');
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'gateway.example.com'])
      expect(problems({ AUTH_MODE: 'open', HOST: host }), host).toMatch(
        /AUTH_MODE: AUTH_MODE=open serves every index/,
      );
    // Desks configured do not make an open gateway safe: anonymous callers would still see all.
    expect(problems({ AUTH_MODE: 'open', HOST: '0.0.0.0', GATEWAY_DESKS: DESKS })).toMatch(/AUTH_MODE/);
    expect(problems({ AUTH_MODE: 'open', HOST: '0.0.0.0', AUTH_OPEN_ON_NETWORK: 'true' })).toBe('');
    expect(problems({ AUTH_MODE: 'required', HOST: '0.0.0.0', GATEWAY_DESKS: DESKS })).toBe('');
  });

  it('refuses the published development secret and API key unless a local run allows them', () => {
    const devDesks = JSON.stringify([
      { desk: 'local', apiKeySha256: [DEVELOPMENT_API_KEY_SHA256.toUpperCase()], indices: ['*'] },
    ]);
    const withSecret = { GATEWAY_DESKS: DESKS, JWT_SECRET: DEVELOPMENT_JWT_SECRET };
    expect(problems(withSecret)).toMatch(/JWT_SECRET: is the published development secret/);
    expect(problems(withSecret)).not.toContain(DEVELOPMENT_JWT_SECRET);
    expect(problems({ GATEWAY_DESKS: devDesks })).toMatch(
      /GATEWAY_DESKS: holds the published development API key/,
    );
    expect(problems({ ...withSecret, GATEWAY_DESKS: devDesks, ALLOW_DEVELOPMENT_SECRETS: 'true' })).toBe('');
    expect(problems({ GATEWAY_DESKS: DESKS, JWT_SECRET: 'x'.repeat(40) })).toBe('');
  });

  it('never echoes a password from a URL or a desk list in its errors', () => {
    const message = problems({
      AUTH_MODE: 'open',
      REDIS_URL: 'http://admin:hunter2-redis@redis:6379',
      SCHEMA_REGISTRY_URL: 'not a url https://u:hunter2-registry@x',
      GATEWAY_DESKS: '[{"desk":"eq","apiKeySha256":["hunter2-digest"]}]',
    });
    expect(message).toMatch(/REDIS_URL: .*\*\*\*@redis/);
    expect(message).toMatch(/SCHEMA_REGISTRY_URL/);
    expect(message).toMatch(/GATEWAY_DESKS: .*was set \(hidden\)/);
    expect(message).not.toMatch(/hunter2/);
  });
});
