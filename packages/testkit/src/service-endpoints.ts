/** Endpoints of the real services that integration tests and local runs talk to. */
export interface ServiceEndpoints {
  /** Kafka bootstrap servers, e.g. `['127.0.0.1:9092']`. */
  readonly kafkaBrokers: readonly string[];
  /** Base URL of the Confluent-compatible Schema Registry API, without a trailing slash. */
  readonly schemaRegistryUrl: string;
  /** Redis connection URL, e.g. `redis://127.0.0.1:6379`. */
  readonly redisUrl: string;
}

/** The environment variables that name the service endpoints (see `scripts/services.sh env`). */
export const SERVICE_ENDPOINT_VARIABLES = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'REDIS_URL'] as const;

export type ServiceEndpointVariable = (typeof SERVICE_ENDPOINT_VARIABLES)[number];

export class MissingServiceEndpointsError extends Error {
  readonly missing: readonly ServiceEndpointVariable[];

  constructor(missing: readonly ServiceEndpointVariable[]) {
    super(
      `service endpoints are not configured: ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} unset or empty; ` +
        'run `bash scripts/services.sh up && eval "$(bash scripts/services.sh env)"` or `pnpm test:all`',
    );
    this.name = 'MissingServiceEndpointsError';
    this.missing = missing;
  }
}

/** Splits a comma-separated broker list, dropping blanks. */
export function parseKafkaBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/**
 * Returns the endpoints named by KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL in `env`, or
 * `undefined` when none of them is set. Throws MissingServiceEndpointsError when only some are set.
 */
export function resolveServiceEndpoints(
  env: Readonly<Record<string, string | undefined>>,
): ServiceEndpoints | undefined {
  const values = SERVICE_ENDPOINT_VARIABLES.map((name) => [name, env[name]?.trim() ?? ''] as const);
  const missing = values.filter(([, value]) => value === '').map(([name]) => name);
  if (missing.length === SERVICE_ENDPOINT_VARIABLES.length) return undefined;
  if (missing.length > 0) throw new MissingServiceEndpointsError(missing);
  const byName = Object.fromEntries(values) as Record<ServiceEndpointVariable, string>;
  const kafkaBrokers = parseKafkaBrokers(byName.KAFKA_BROKERS);
  if (kafkaBrokers.length === 0) throw new MissingServiceEndpointsError(['KAFKA_BROKERS']);
  return {
    kafkaBrokers,
    schemaRegistryUrl: byName.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
    redisUrl: byName.REDIS_URL,
  };
}
