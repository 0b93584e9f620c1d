import { CALENDAR_FILES_VARIABLE, calendarFromEnv } from '@indexflow/dataset-files';
import { DEFAULT_KAFKA_CLIENT, KAFKA_CLIENT_NAMES, kafkaSecurityProblem } from '@indexflow/kafka';
import type { MarketCalendar } from '@indexflow/market-calendar';
import { shownConfigValue } from '@indexflow/observability';
import { REDIS_URL_HINT, REDIS_URL_PATTERN, redisTlsProblem } from '@indexflow/redis-state';
import { z } from 'zod';
import type { DeskConfig } from './entitlements.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** Published in the repository's local set-up: anyone can read them, so only a local run may use them. */
export const DEVELOPMENT_JWT_SECRET = 'local-development-jwt-secret-not-for-production';
export const DEVELOPMENT_API_KEY_SHA256 = 'ed5a18fb8f807f996d649e379d3f35f39c543a91bdbf88c492f2ebd10d4df86c';

/** 127.0.0.0/8, ::1 and localhost: hosts only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

const deskSchema = z.object({
  desk: z.string().regex(/^[A-Za-z0-9._-]+$/),
  apiKeySha256: z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'a hex SHA-256 digest')).default([]),
  indices: z.array(z.string().min(1)).min(1),
});

const desksJson = z.string().transform((text, context): DeskConfig[] => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'must be a JSON array of desks' });
    return z.NEVER;
  }
  const parsed = z.array(deskSchema).safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', message: `[${issue.path.join('.')}] ${issue.message}` });
    }
    return z.NEVER;
  }
  return parsed.data;
});

/** Environment the gateway reads; every key is validated at start, all errors reported at once. */
const schema = z.object({
  KAFKA_BROKERS: z.string().min(1, 'set KAFKA_BROKERS, e.g. 127.0.0.1:9092'),
  SCHEMA_REGISTRY_URL: z.url('set SCHEMA_REGISTRY_URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7'),
  REDIS_URL: z.string().regex(REDIS_URL_PATTERN, REDIS_URL_HINT),
  /** PEM file of the CA that signed a rediss:// Redis's certificate (default: the system's CAs). */
  REDIS_TLS_CA_FILE: z.string().optional(),
  TOPIC_PREFIX: z.string().default(''),
  /** The calculator whose Redis projection holds the constituents (its CALCULATOR_ID). */
  CALCULATOR_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('main'),
  GATEWAY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('gateway'),
  HISTORY_FROM: z.enum(['today', 'beginning']).default('today'),
  /**
   * Which level topic feeds the desks: `exactly-once` (indexflow.index-levels, read_committed)
   * or `fast` (indexflow.index-levels.fast, from calculators run with FAST_LEVELS=true: lower
   * latency, at least once; the hub drops a repeated sequence).
   */
  LEVELS_FEED: z.enum(['exactly-once', 'fast']).default('exactly-once'),
  /** Kafka client of the level feed: native (librdkafka) or kafkajs (pure JS). */
  KAFKA_CLIENT: z.enum(KAFKA_CLIENT_NAMES).default(DEFAULT_KAFKA_CLIENT),
  HISTORY_MAX_POINTS: positiveInt(100_000),
  HISTORY_MAX_DAYS: positiveInt(2),
  HOST: z.string().default('127.0.0.1'),
  PORT: port(8080),
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: port(9465),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  AUTH_MODE: z.enum(['required', 'open']).default('required'),
  GATEWAY_DESKS: desksJson.default([]),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Every token's `aud` must name this (tokens minted for another service are refused). */
  JWT_AUDIENCE: z.string().min(1).default('indexflow-gateway'),
  /** When set, every token's `iss` must equal it. */
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_MAX_LIFETIME_S: positiveInt(12 * 3600),
  JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(600).default(60),
  /** Serve AUTH_MODE=open on a non-loopback HOST anyway (logged as a warning at every start). */
  AUTH_OPEN_ON_NETWORK: flag,
  /** Accept the development JWT secret and API key the local overlay publishes. */
  ALLOW_DEVELOPMENT_SECRETS: flag,
  RATE_LIMIT_MAX: positiveInt(600),
  RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
  WS_MAX_MESSAGES_PER_SECOND: positiveInt(20),
  HEARTBEAT_MS: positiveInt(5000),
  SLOW_HIGH_WATER_BYTES: positiveInt(64 * 1024),
  SLOW_MAX_BUFFERED_BYTES: positiveInt(4 * 1024 * 1024),
  SLOW_MAX_BEHIND_MS: positiveInt(10_000),
  CONSTITUENTS_REFRESH_MS: positiveInt(1000),
  /**
   * In continuous trading, no level from the feed for this long makes the desk state `stale` (and
   * one index silent while others arrive `halted`). Below a second every pause would flicker.
   */
  FEED_STALE_MS: z.coerce
    .number()
    .int()
    .min(1000, 'must be at least 1000 (ms)')
    .max(3_600_000)
    .default(30_000),
  MAX_SUBSCRIPTIONS_PER_SESSION: positiveInt(256),
  MAX_CONNECTIONS_PER_DESK: positiveInt(100),
  /** How long start-up waits for Kafka, Redis and the registry to become reachable. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Rules across keys, checked on the raw environment so they are reported together with every
 * per-key problem (zod skips refinements of an object whose fields already failed).
 */
function crossKeyProblems(env: Record<string, string | undefined>): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const set = (key: string) => (env[key] ?? '') !== '';
  if (set('TLS_CERT_FILE') !== set('TLS_KEY_FILE')) {
    problems.push({ key: 'TLS_CERT_FILE', message: 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither' });
  }
  let desks: unknown = [];
  try {
    desks = JSON.parse(env.GATEWAY_DESKS ?? '[]');
  } catch {
    // The per-key schema reports malformed JSON.
  }
  const open = env.AUTH_MODE === 'open';
  const host = env.HOST ?? '127.0.0.1';
  if (open && !isLoopbackHost(host) && env.AUTH_OPEN_ON_NETWORK !== 'true') {
    problems.push({
      key: 'AUTH_MODE',
      message: `AUTH_MODE=open serves every index to anyone who reaches HOST ${host}; use a loopback HOST (127.0.0.1), AUTH_MODE=required, or set AUTH_OPEN_ON_NETWORK=true behind a network you trust`,
    });
  }
  if (env.ALLOW_DEVELOPMENT_SECRETS !== 'true') {
    if (env.JWT_SECRET === DEVELOPMENT_JWT_SECRET)
      problems.push({
        key: 'JWT_SECRET',
        message:
          'is the published development secret; generate one (openssl rand -hex 32), or set ALLOW_DEVELOPMENT_SECRETS=true for a local run',
      });
    if ((env.GATEWAY_DESKS ?? '').toLowerCase().includes(DEVELOPMENT_API_KEY_SHA256))
      problems.push({
        key: 'GATEWAY_DESKS',
        message:
          'holds the published development API key; issue new keys, or set ALLOW_DEVELOPMENT_SECRETS=true for a local run',
      });
  }
  for (const problem of [kafkaSecurityProblem(env), redisTlsProblem(env)]) {
    if (problem === null) continue;
    const [key, ...rest] = problem.split(': ');
    problems.push({ key: key!, message: rest.join(': ') });
  }
  if (!open && Array.isArray(desks) && desks.length === 0) {
    problems.push({
      key: 'GATEWAY_DESKS',
      message: 'AUTH_MODE=required needs at least one desk (or set AUTH_MODE=open for a local run)',
    });
  }
  return problems;
}

export type GatewayConfig = Readonly<
  z.output<typeof schema> & {
    /** Sessions, half days and holidays: the bundled years with MARKET_CALENDAR_FILES, read once at load. */
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

export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const result = schema.safeParse(env);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({ key: String(issue.path[0]), message: issue.message }))),
    ...crossKeyProblems(env),
  ];
  const { calendar, problem } = calendarFromEnv(env);
  if (problem !== null) problems.push({ key: CALENDAR_FILES_VARIABLE, message: problem });
  if (problems.length > 0 || !result.success || calendar === null) {
    throw new ConfigError(
      problems.map(({ key, message }) => `${key}: ${message} (${shownConfigValue(key, env[key])})`),
    );
  }
  return Object.freeze({ ...result.data, calendar });
}
