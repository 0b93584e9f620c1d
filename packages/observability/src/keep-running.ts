import type { Logger } from './root-logger.js';

export interface KeepRunningOptions<R> {
  readonly log: Logger;
  /** What runs, for the logs ("the calculator"). */
  readonly what: string;
  /** Builds a runtime, recovering its state; waits out unreachable dependencies itself. */
  start(): Promise<R>;
  /** Runs it until it stops (resolves) or fails (rejects). */
  run(runtime: R): Promise<void>;
  close(runtime: R): Promise<void>;
  isStopping(): boolean;
  /** Failures a new runtime cannot cure (fenced by a newer instance, bad configuration). */
  isFatal(error: unknown): boolean;
  /** The runtime now running, or null between runtimes (readiness and probes follow it). */
  onRuntime?(runtime: R | null): void;
  /** Called once per in-process recovery (a metric). */
  onRecovery?(error: unknown): void;
  /** A run that lasted this long resets the backoff (default 60 s). */
  readonly healthyAfterMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * Keeps a service up through transient failures of its dependencies: a run that fails is closed
 * and a new runtime recovers from the committed state, as a process restart would, but without
 * one (backoff with jitter, 0.5 s to 30 s). Recovery from Kafka's committed offsets and the state
 * store is what makes this safe: nothing of the failed run is visible or kept. Fatal failures, and
 * a start that gives up (see startWithRetry), are thrown for the process to exit on.
 */
export async function keepRunning<R>(options: KeepRunningOptions<R>): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let failures = 0;
  while (!options.isStopping()) {
    const runtime = await options.start();
    options.onRuntime?.(runtime);
    const startedAt = now();
    let failure: { readonly error: unknown } | null = null;
    try {
      await options.run(runtime);
    } catch (error) {
      failure = { error };
    }
    options.onRuntime?.(null);
    await options.close(runtime);
    if (failure === null || options.isStopping()) return;
    if (options.isFatal(failure.error)) throw failure.error;
    failures = now() - startedAt >= (options.healthyAfterMs ?? 60_000) ? 1 : failures + 1;
    const waitMs = Math.round(Math.min(30_000, 500 * 2 ** (failures - 1)) * (0.5 + random() / 2));
    options.log.error(
      { err: failure.error, attempt: failures, waitMs },
      `${options.what} failed; recovering in-process from the last committed batch`,
    );
    options.onRecovery?.(failure.error);
    await sleep(waitMs);
  }
}
