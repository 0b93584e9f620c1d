import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  kafkajsSecurity,
  kafkaSecurityFromEnv,
  kafkaSecurityProblem,
  nativeSecurity,
} from './kafka-security.js';
import { splitRegistryUrl } from './schema-registry-client.js';

const SCRAM = {
  KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  KAFKA_SASL_USERNAME: 'calculator',
  KAFKA_SASL_PASSWORD: 'pa55-word-never-printed',
};

describe('Kafka security settings', () => {
  it('defaults to plaintext with no credentials', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({ protocol: 'plaintext' });
    expect(kafkajsSecurity({ protocol: 'plaintext' })).toEqual({});
    expect(nativeSecurity({ protocol: 'plaintext' })).toEqual({ 'security.protocol': 'plaintext' });
  });

  it('maps SASL/SCRAM over TLS to both clients', () => {
    const ca = join(tmpdir(), `indexflow-ca-${process.pid}.pem`);
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const security = kafkaSecurityFromEnv({ ...SCRAM, KAFKA_SSL_CA_FILE: ca });
    expect(kafkajsSecurity(security)).toEqual({
      ssl: { ca: [expect.stringContaining('BEGIN CERTIFICATE')] },
      sasl: { mechanism: 'scram-sha-512', username: 'calculator', password: SCRAM.KAFKA_SASL_PASSWORD },
    });
    expect(nativeSecurity(security)).toEqual({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'calculator',
      'sasl.password': SCRAM.KAFKA_SASL_PASSWORD,
      'ssl.ca.location': ca,
    });
  });

  it('refuses incomplete or contradictory settings by key, never printing the password', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ KAFKA_SECURITY_PROTOCOL: 'tls' }, /^KAFKA_SECURITY_PROTOCOL: must be one of/],
      [{ ...SCRAM, KAFKA_SASL_PASSWORD: '' }, /^KAFKA_SASL_PASSWORD: is required/],
      [{ ...SCRAM, KAFKA_SASL_MECHANISM: 'GSSAPI' }, /^KAFKA_SASL_MECHANISM: must be one of/],
      [
        { ...SCRAM, KAFKA_SECURITY_PROTOCOL: 'plaintext' },
        /^KAFKA_SECURITY_PROTOCOL: is plaintext, which sends no credentials/,
      ],
      [
        { KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem', KAFKA_SECURITY_PROTOCOL: 'ssl' },
        /^KAFKA_SSL_CA_FILE: cannot be read/,
      ],
      [{ KAFKA_SSL_CA_FILE: '/etc/hostname' }, /^KAFKA_SSL_CA_FILE: needs KAFKA_SECURITY_PROTOCOL=ssl/],
    ];
    for (const [env, expected] of cases) {
      const problem = kafkaSecurityProblem(env);
      expect(problem, JSON.stringify(env)).toMatch(expected);
      expect(problem).not.toContain(SCRAM.KAFKA_SASL_PASSWORD);
    }
    expect(kafkaSecurityProblem(SCRAM)).toBeNull();
  });
});

describe('registry URL credentials', () => {
  it('moves user info out of the base URL into basic auth', () => {
    expect(splitRegistryUrl('https://ops:p%40ss@registry.example:8081/apis/ccompat/v7')).toEqual({
      baseUrl: 'https://registry.example:8081/apis/ccompat/v7',
      userInfo: 'ops:p@ss',
    });
    expect(splitRegistryUrl('http://127.0.0.1:8081/apis/ccompat/v7')).toEqual({
      baseUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    });
    expect(splitRegistryUrl('mock://x')).toEqual({ baseUrl: 'mock://x' });
  });
});
