export interface WaitForOptions {
  /** How long to keep trying, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /** Pause between attempts, in milliseconds. Default 100. */
  readonly intervalMs?: number;
  /** Describes the awaited condition in the timeout error. */
  readonly description?: string;
}

export class WaitForTimeoutError extends Error {
  readonly timeoutMs: number;
  readonly attempts: number;

  constructor(description: string, timeoutMs: number, attempts: number, cause: unknown) {
    const reason = cause === undefined ? '' : `; the last attempt failed with: ${describe(cause)}`;
    super(`${description} was not met within ${timeoutMs} ms (${attempts} attempts)${reason}`, { cause });
    this.name = 'WaitForTimeoutError';
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls `condition` until it returns a value other than `false`, `undefined` or `null` (or resolves
 * to one), and returns that value. A thrown error counts as "not yet" and is reported if time runs
 * out. Throws WaitForTimeoutError after `timeoutMs`. Use it in tests in place of sleeps.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | undefined | null>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await condition();
      if (value !== false && value !== undefined && value !== null) {
        return value as Exclude<T, false | undefined | null>;
      }
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new WaitForTimeoutError(options.description ?? 'condition', timeoutMs, attempts, lastError);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
}
