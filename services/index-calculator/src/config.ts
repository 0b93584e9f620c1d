import { calendarFromEnv } from '@indexflow/dataset-files';
import { DEFAULT_KAFKA_CLIENT, KAFKA_CLIENT_NAMES, kafkaSecurityProblem } from '@indexflow/kafka';
import type { MarketCalendar } from '@indexflow/market-calendar';
import { shownConfigValue } from '@indexflow/observability';
import { REDIS_URL_HINT, REDIS_URL_PATTERN, redisTlsProblem } from '@indexflow/redis-state';
import { z } from 'zod';
import { parseShardListing, ShardPlanError } from './shard-plan.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment the calculator reads; every key is validated at start, all errors reported at once. */
const schema = z.object({
  KAFKA_BROKERS: z.string().min(1, 'set KAFKA_BROKERS, e.g. 127.0.0.1:9092'),
  SCHEMA_REGISTRY_URL: z.url('set SCHEMA_REGISTRY_URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7'),
  REDIS_URL: z.string().regex(REDIS_URL_PATTERN, REDIS_URL_HINT),
  /** PEM file of the CA that signed a rediss:// Redis's certificate (default: the system's CAs). */
  REDIS_TLS_CA_FILE: z.string().optional(),
  CALCULATOR_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('main'),
  INDEX_DEFINITIONS_DIR: z.string().optional(),
  /** Market calendar files (one year each, comma-separated) over the bundled years: docs/closes-and-eod.md. */
  MARKET_CALENDAR_FILES: z.string().optional(),
  TOPIC_PREFIX: z.string().default(''),
  BATCH_SIZE: positiveInt(1000),
  BATCH_WAIT_MS: positiveInt(20),
  /** A record that crashed the service this many times is dead-lettered as poison_pill (docs/calculator.md, "Poison pills"). */
  POISON_PILL_RESTARTS: z.coerce.number().int().min(2).default(3),
  ORDERING: z.enum(['canonical', 'arrival']).default('canonical'),
  IDLE_TIMEOUT_MS: positiveInt(200),
  /** How long an event waits for a quiet partition's late records, e.g. FX behind the FX filter. */
  LATENESS_MS: z.coerce.number().int().min(0).default(0),
  /** How long a partition resuming after a quiet spell waits for the others to resume (0: off). */
  RESUME_GRACE_MS: z.coerce.number().int().min(0).default(100),
  /** How long a partition whose producer writes watermarks may be silent before it is stale. */
  SOURCE_STALE_MS: positiveInt(10_000),
  LAG_SAMPLE_MS: positiveInt(5000),
  CONFLATION_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** Also publish every level to the fast topic as soon as it is computed (at least once). */
  FAST_LEVELS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Kafka client of the source, sink and fast lane: kafkajs (pure JS) or native (librdkafka). */
  KAFKA_CLIENT: z.enum(KAFKA_CLIENT_NAMES).default(DEFAULT_KAFKA_CLIENT),
  FX_MAX_AGE_MS: z.coerce.number().int().positive().optional(),
  /** Constituents on each level record: those the event moved (default), or none (`constituents` null). */
  LEVEL_CONSTITUENTS: z.enum(['moved', 'none']).default('moved'),
  // false, as the offline replay: a symbol in no index keeps its last price for a later `add`.
  REJECT_UNKNOWN_SYMBOLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // 1: the single calculator. More: that many shards of the index set, owned by whichever
  // instances the shard-assignment topic's consumer group assigns them to (shard-supervisor.ts).
  SHARDS: z.coerce.number().int().min(1).max(1000).default(1),
  SHARD_INDICES: z.string().optional(),
  SHARD_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(10_000),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /** How long start-up waits for Kafka, Redis and the registry to become reachable. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CalculatorConfig = Readonly<
  z.output<typeof schema> & {
    /** The engine's calendar: the bundled years with MARKET_CALENDAR_FILES, read once at load. */
    readonly calendar: MarketCalendar;
  }
>;

/** The configuration is unusable; the message lists every bad key with the value it was given. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): CalculatorConfig {
  const result = schema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: ${issue.message} (${shownConfigValue(key, env[key])})`;
      });
  // Checked against the raw SHARDS too, so a bad listing is reported beside any other bad key.
  const shards = Number(env.SHARDS ?? 1);
  if (Number.isInteger(shards) && shards >= 1) {
    try {
      parseShardListing(env.SHARD_INDICES, shards);
    } catch (error) {
      if (!(error instanceof ShardPlanError)) throw error;
      problems.push(`SHARD_INDICES: ${error.message}`);
    }
  }
  const kafkaSecurity = kafkaSecurityProblem(env);
  if (kafkaSecurity !== null) problems.push(kafkaSecurity);
  const redisTls = redisTlsProblem(env);
  if (redisTls !== null) problems.push(redisTls);
  const { calendar, problem } = calendarFromEnv(env);
  if (problem !== null) problems.push(`MARKET_CALENDAR_FILES: ${problem}`);
  if (!result.success || problems.length > 0 || calendar === null) throw new ConfigError(problems);
  return Object.freeze({ ...result.data, calendar });
}
