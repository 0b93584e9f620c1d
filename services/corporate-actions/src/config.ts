import { DEFAULT_KAFKA_CLIENT, KAFKA_CLIENT_NAMES, kafkaSecurityProblem } from '@indexflow/kafka';
import { shownConfigValue } from '@indexflow/observability';
import { REDIS_URL_HINT, REDIS_URL_PATTERN, redisTlsProblem } from '@indexflow/redis-state';
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Environment the corporate-actions & FX service reads; every key is checked at start. */
const schema = z.object({
  KAFKA_BROKERS: z.string().min(1, 'set KAFKA_BROKERS, e.g. 127.0.0.1:9092'),
  SCHEMA_REGISTRY_URL: z.url('set SCHEMA_REGISTRY_URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7'),
  REDIS_URL: z.string().regex(REDIS_URL_PATTERN, REDIS_URL_HINT),
  /** PEM file of the CA that signed a rediss:// Redis's certificate (default: the system's CAs). */
  REDIS_TLS_CA_FILE: z.string().optional(),
  SERVICE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('main'),
  TOPIC_PREFIX: z.string().default(''),
  INDEX_DEFINITIONS_DIR: z.string().optional(),
  /** The calculator whose committed state the pro-forma is computed from. */
  CALCULATOR_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('main'),
  /**
   * `scheduled`: publish an ex-date's adjustment once the clock passes PUBLISH_AT on the day
   * before (after every market has closed, before 00:00 when it takes effect). `immediate`: as
   * soon as the actions are registered (replays and tests; the event time still orders it).
   */
  PUBLISH_MODE: z.enum(['scheduled', 'immediate']).default('scheduled'),
  PUBLISH_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, Asia/Shanghai')
    .default('17:00'),
  /** The business date for "ex-date in the past" checks; default today in Asia/Shanghai. */
  AS_OF_DATE: z.string().regex(DATE, 'YYYY-MM-DD').optional(),
  /** Largest accepted move of an FX pair against its last accepted quote (0.05 = 5 %). */
  FX_MAX_JUMP: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'a decimal fraction such as 0.05')
    .default('0.05'),
  SCHEDULE_CHECK_MS: positiveInt(1000),
  /** Kafka client of the FX filter's source and sink: native (librdkafka) or kafkajs (pure JS). */
  KAFKA_CLIENT: z.enum(KAFKA_CLIENT_NAMES).default(DEFAULT_KAFKA_CLIENT),
  /** Raw FX quotes per FX-filter batch at most, and how long a batch waits for them. */
  FX_BATCH_SIZE: positiveInt(500),
  FX_BATCH_WAIT_MS: positiveInt(20),
  /** How long a raw-quote partition may be silent before it stops holding the filter's merge back. */
  FX_IDLE_TIMEOUT_MS: positiveInt(200),
  /** How long a raw-quote partition whose producer writes watermarks may be silent before it is stale. */
  FX_SOURCE_STALE_MS: positiveInt(10_000),
  /** A raw quote that crashed the FX filter this many times is dead-lettered as poison_pill. */
  POISON_PILL_RESTARTS: z.coerce.number().int().min(2).default(3),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /** How long start-up waits for Kafka, Redis and the registry to become reachable. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServiceConfig = Readonly<z.output<typeof schema>>;

/** The configuration is unusable; the message lists every bad key with the value it was given. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): ServiceConfig {
  const result = schema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: ${issue.message} (${shownConfigValue(key, env[key])})`;
      });
  const kafkaSecurity = kafkaSecurityProblem(env);
  if (kafkaSecurity !== null) problems.push(kafkaSecurity);
  const redisTls = redisTlsProblem(env);
  if (redisTls !== null) problems.push(redisTls);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result.data);
}
