// The life of a service process around its runtime: the ops server and readiness probes, the
// start that waits for dependencies, in-process recovery after a failed run, and the exit code.
import type { Registry } from 'prom-client';
import { type DependencyProbe, DependencyProbes } from './dependency-probes.js';
import { keepRunning } from './keep-running.js';
import { type OpsServer, startOpsServer } from './ops-server.js';
import type { Logger } from './root-logger.js';
import { startWithRetry } from './start-with-retry.js';

/** What a service's runtime offers the process that runs it. */
export interface RunnableRuntime {
  /** Readiness probes over the runtime's own connections (Kafka, Redis, the registry). */
  readonly probes: readonly DependencyProbe[];
  ready(): boolean;
  /** Resolves when the runtime stopped, rejects when it failed. */
  run(): Promise<void>;
  /** Asks it to stop after its current batch. */
  stop(): void;
  close(): Promise<void>;
}

export interface RunServiceOptions<R extends RunnableRuntime> {
  readonly log: Logger;
  /** For the logs: "the calculator". */
  readonly what: string;
  readonly ops: { readonly host: string; readonly port: number; readonly registry: Registry };
  /** The names of the probes every runtime offers (the probes follow the runtime in place). */
  readonly probed: readonly string[];
  readonly startupTimeoutMs: number;
  start(): Promise<R>;
  isFatal(error: unknown): boolean;
  /** Each run's start, after recovery, with the ops port (logs). */
  onRun?(runtime: R, opsPort: number): void;
  onRecovery?(): void;
  /** The last runtime, closed (its stats for the final log line). */
  onClosed?(runtime: R): void;
}

export interface RunningService {
  /** Stops after the current batch (SIGTERM). */
  stop(): void;
  /** The process's exit code once stopped: 0, or 1 after a fatal failure. */
  readonly done: Promise<number>;
}

export function runService<R extends RunnableRuntime>(options: RunServiceOptions<R>): RunningService {
  const { log } = options;
  let stopping = false;
  let current: R | null = null;
  const stop = () => {
    stopping = true;
    current?.stop();
  };
  return { stop, done: run() };

  async function run(): Promise<number> {
    // The probes ask whichever runtime runs now; between runtimes, they report it.
    const dependencies = new DependencyProbes({
      probes: options.probed.map((name) => ({
        name,
        check: () =>
          current?.probes.find((p) => p.name === name)?.check() ??
          Promise.reject(new Error('recovering: no connection open')),
      })),
      registry: options.ops.registry,
      logger: log,
    });
    const ops: OpsServer = await startOpsServer({
      ...options.ops,
      isReady: () => !stopping && current?.ready() === true,
      dependencies,
    });
    let probing = false;
    let exitCode = 0;
    try {
      await keepRunning<R>({
        log,
        what: options.what,
        start: () =>
          startWithRetry(options.start, { log, what: options.what, deadlineMs: options.startupTimeoutMs }),
        run: async (runtime) => {
          if (!probing) {
            probing = true;
            await dependencies.start();
          }
          options.onRun?.(runtime, ops.port);
          if (stopping) runtime.stop();
          await runtime.run();
        },
        onRuntime: (runtime) => {
          current = runtime;
        },
        close: async (runtime) => {
          // Before the connections close, so that their closing is not reported as an outage.
          if (stopping) dependencies.stop();
          await runtime.close();
          options.onClosed?.(runtime);
        },
        isStopping: () => stopping,
        isFatal: options.isFatal,
        ...(options.onRecovery ? { onRecovery: options.onRecovery } : {}),
      });
    } catch (error) {
      log.fatal(
        { err: error },
        `${options.what} stopped: a fatal failure, or its dependencies stayed away past STARTUP_TIMEOUT_MS`,
      );
      exitCode = 1;
    }
    dependencies.stop();
    await ops.close();
    return exitCode;
  }
}
