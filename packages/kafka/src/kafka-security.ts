import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaAdapterError } from './kafka-errors.js';

export const KAFKA_SECURITY_PROTOCOLS = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** How every Kafka client of the process authenticates and encrypts (KAFKA_SECURITY_PROTOCOL …). */
export interface KafkaSecurity {
  readonly protocol: (typeof KAFKA_SECURITY_PROTOCOLS)[number];
  readonly sasl?: {
    readonly mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
    readonly username: string;
    readonly password: string;
  };
  /** PEM file of the CA that signed the brokers' certificates (ssl, sasl_ssl); absent: system CAs. */
  readonly caFile?: string;
}

/** The Kafka security settings are inconsistent; names the key, never a password. */
export class KafkaSecurityConfigError extends KafkaAdapterError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`, { retriable: false });
  }
}

const lower = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value.toLowerCase();

function oneOf<T extends string>(
  key: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new KafkaSecurityConfigError(
    key,
    `must be one of ${allowed.join(', ')}, was ${JSON.stringify(value.slice(0, 200))}`,
  );
}

/**
 * Reads KAFKA_SECURITY_PROTOCOL (plaintext), KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD and KAFKA_SSL_CA_FILE. A SASL protocol needs all three SASL keys; SASL keys
 * under a protocol without SASL are refused rather than silently unused.
 */
export function kafkaSecurityFromEnv(env: Record<string, string | undefined>): KafkaSecurity {
  const protocol =
    oneOf('KAFKA_SECURITY_PROTOCOL', lower(env.KAFKA_SECURITY_PROTOCOL), KAFKA_SECURITY_PROTOCOLS) ??
    'plaintext';
  const mechanism = oneOf('KAFKA_SASL_MECHANISM', lower(env.KAFKA_SASL_MECHANISM), KAFKA_SASL_MECHANISMS);
  const username = env.KAFKA_SASL_USERNAME || undefined;
  const password = env.KAFKA_SASL_PASSWORD || undefined;
  const caFile = env.KAFKA_SSL_CA_FILE || undefined;
  const usesSasl = protocol.startsWith('sasl_');
  if (usesSasl) {
    for (const [key, value] of [
      ['KAFKA_SASL_MECHANISM', mechanism],
      ['KAFKA_SASL_USERNAME', username],
      ['KAFKA_SASL_PASSWORD', password],
    ] as const) {
      if (value === undefined)
        throw new KafkaSecurityConfigError(key, `is required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    }
  } else if (mechanism !== undefined || username !== undefined || password !== undefined) {
    throw new KafkaSecurityConfigError(
      'KAFKA_SECURITY_PROTOCOL',
      `is ${protocol}, which sends no credentials: set sasl_ssl (or sasl_plaintext) to use KAFKA_SASL_*`,
    );
  }
  if (caFile !== undefined) {
    if (!protocol.endsWith('ssl'))
      throw new KafkaSecurityConfigError(
        'KAFKA_SSL_CA_FILE',
        `needs KAFKA_SECURITY_PROTOCOL=ssl or sasl_ssl, not ${protocol}`,
      );
    try {
      readFileSync(caFile);
    } catch (error) {
      throw new KafkaSecurityConfigError(
        'KAFKA_SSL_CA_FILE',
        `cannot be read: ${(error as Error).message.slice(0, 200)}`,
      );
    }
  }
  return {
    protocol,
    ...(usesSasl ? { sasl: { mechanism: mechanism!, username: username!, password: password! } } : {}),
    ...(caFile === undefined ? {} : { caFile }),
  };
}

/** The settings' problem as `KEY: message` for a service's config report, or null when they are usable. */
export function kafkaSecurityProblem(env: Record<string, string | undefined>): string | null {
  try {
    kafkaSecurityFromEnv(env);
    return null;
  } catch (error) {
    if (error instanceof KafkaSecurityConfigError) return error.message;
    throw error;
  }
}

let fromProcess: KafkaSecurity | undefined;

/** This process's settings, read once from its environment (every client of a process shares them). */
export function processKafkaSecurity(): KafkaSecurity {
  fromProcess ??= kafkaSecurityFromEnv(process.env);
  return fromProcess;
}

/** The kafkajs client options for `security`. */
export function kafkajsSecurity(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const ssl = security.protocol.endsWith('ssl')
    ? security.caFile === undefined
      ? true
      : { ca: [readFileSync(security.caFile, 'utf8')] }
    : undefined;
  return {
    ...(ssl === undefined ? {} : { ssl }),
    ...(security.sasl === undefined ? {} : { sasl: security.sasl as SASLOptions }),
  };
}

/** The librdkafka properties for `security`. */
export function nativeSecurity(security: KafkaSecurity): Record<string, string> {
  return {
    'security.protocol': security.protocol,
    ...(security.sasl === undefined
      ? {}
      : {
          'sasl.mechanisms': security.sasl.mechanism.toUpperCase(),
          'sasl.username': security.sasl.username,
          'sasl.password': security.sasl.password,
        }),
    ...(security.caFile === undefined ? {} : { 'ssl.ca.location': security.caFile }),
  };
}
