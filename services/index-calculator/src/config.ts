import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment the calculator reads; every key is validated at start, all errors reported at once. */
const schema = z.object({
  KAFKA_BROKERS: z.string().min(1, 'set KAFKA_BROKERS, e.g. 127.0.0.1:9092'),
  SCHEMA_REGISTRY_URL: z.url('set SCHEMA_REGISTRY_URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'set REDIS_URL, e.g. redis://127.0.0.1:6379'),
  CALCULATOR_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('main'),
  INDEX_DEFINITIONS_DIR: z.string().optional(),
  TOPIC_PREFIX: z.string().default(''),
  BATCH_SIZE: positiveInt(1000),
  BATCH_WAIT_MS: positiveInt(20),
  ORDERING: z.enum(['canonical', 'arrival']).default('canonical'),
  IDLE_TIMEOUT_MS: positiveInt(200),
  /** How long an event waits for a quiet partition's late records, e.g. FX behind the FX filter. */
  LATENESS_MS: z.coerce.number().int().min(0).default(0),
  LAG_SAMPLE_MS: positiveInt(5000),
  CONFLATION_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  FX_MAX_AGE_MS: z.coerce.number().int().positive().optional(),
  REJECT_UNKNOWN_SYMBOLS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CalculatorConfig = Readonly<z.output<typeof schema>>;

/** The configuration is unusable; the message lists every bad key with the value it was given. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const SECRET = /PASSWORD|SECRET|TOKEN/;

function shown(key: string, value: unknown): string {
  if (value === undefined) return 'missing';
  return SECRET.test(key) ? 'was set (hidden)' : `was ${JSON.stringify(value)}`;
}

export function loadConfig(env: Record<string, string | undefined>): CalculatorConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: ${issue.message} (${shown(key, env[key])})`;
      }),
    );
  }
  return Object.freeze(result.data);
}
