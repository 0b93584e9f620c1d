import type { Logger } from './root-logger.js';

/** Network failures a dependency that is still starting (or restarting) gives. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
]);

/**
 * Whether a start-up failure may pass by itself: an error that says so (`retriable: true`, as
 * every adapter error does), or a connection failure. Anything else (bad configuration, refused
 * credentials, an incompatible schema) is fatal: retrying the same start cannot help.
 */
export function isTransientStartFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth += 1) {
    const fields = e as { retriable?: unknown; code?: unknown; name?: unknown; cause?: unknown };
    if (fields.retriable === false) return false;
    if (fields.retriable === true) return true;
    if (typeof fields.code === 'string' && TRANSIENT_CODES.has(fields.code)) return true;
    if (typeof fields.name === 'string' && TRANSIENT_NAMES.has(fields.name)) return true;
    e = fields.cause;
  }
  return false;
}

export interface StartWithRetryOptions {
  readonly log: Logger;
  /** What is starting, for the logs ("the calculator"). */
  readonly what: string;
  /** Give up after this many ms of transient failures (the start-up bound). */
  readonly deadlineMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * Runs `start` until it succeeds, waiting out transient failures (a broker, Redis or registry that
 * is not up yet) with exponential backoff and jitter, 0.5 s to 10 s, and logging each wait. Throws
 * the failure at once when it is fatal, and the last one once `deadlineMs` has passed.
 */
export async function startWithRetry<T>(start: () => Promise<T>, options: StartWithRetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const deadline = now() + options.deadlineMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (!isTransientStartFailure(error) || now() >= deadline) throw error;
      const waitMs = Math.round(Math.min(10_000, 500 * 2 ** (attempt - 1)) * (0.5 + random() / 2));
      options.log.warn(
        { attempt, waitMs, err: error },
        `${options.what} could not start (a dependency is not reachable yet); retrying`,
      );
      await sleep(waitMs);
    }
  }
}
