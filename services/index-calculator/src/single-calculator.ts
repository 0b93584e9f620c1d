// One calculator process (SHARDS=1): the ops server, readiness probes and the run, kept up
// through dependency outages by recovering in-process (see keepRunning).
import { isFencedFailure } from '@indexflow/kafka';
import {
  DependencyProbes,
  keepRunning,
  type Logger,
  type OpsServer,
  startOpsServer,
  startWithRetry,
} from '@indexflow/observability';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { type CalculatorRuntime, createCalculatorRuntime } from './calculator-runtime.js';
import type { CalculatorConfig } from './config.js';

const PROBED = ['kafka', 'redis', 'registry'] as const;

export interface SingleCalculator {
  /** Finishes the current batch and stops (SIGTERM). */
  stop(): void;
  /** The process's exit code once stopped: 0, or 1 after a fatal failure. */
  readonly done: Promise<number>;
}

export function startSingleCalculator(config: CalculatorConfig, log: Logger): SingleCalculator {
  let stopping = false;
  let current: CalculatorRuntime | null = null;
  const stop = () => {
    stopping = true;
    current?.calculator.stop();
  };
  return { stop, done: run() };

  async function run(): Promise<number> {
    const metrics = createCalculatorMetrics();
    // The probes ask whichever runtime runs now; between runtimes, they report it.
    const dependencies = new DependencyProbes({
      probes: PROBED.map((name) => ({
        name,
        check: () =>
          current?.probes.find((p) => p.name === name)?.check() ??
          Promise.reject(new Error('recovering: no connection open')),
      })),
      registry: metrics.registry,
      logger: log,
    });
    const ops: OpsServer = await startOpsServer({
      host: config.HTTP_HOST,
      port: config.HTTP_PORT,
      registry: metrics.registry,
      isReady: () => current?.calculator.ready === true,
      dependencies,
    });
    let exitCode = 0;
    let probing = false;
    const last: { stats: CalculatorRuntime['calculator']['stats'] | null } = { stats: null };
    try {
      await keepRunning<CalculatorRuntime>({
        log,
        what: 'the calculator',
        start: () =>
          startWithRetry(() => createCalculatorRuntime(config, log, undefined, metrics), {
            log,
            what: 'the calculator',
            deadlineMs: config.STARTUP_TIMEOUT_MS,
          }),
        run: async (runtime) => {
          if (stopping) return;
          if (!probing) {
            probing = true;
            await dependencies.start();
            log.info(
              { port: ops.port, topics: runtime.inputTopics, ordering: config.ORDERING },
              'index-calculator starting',
            );
          }
          await runtime.calculator.run();
        },
        onRuntime: (runtime) => {
          current = runtime;
        },
        // Before the connections close, so that their closing is not reported as an outage.
        close: async (runtime) => {
          if (stopping) dependencies.stop();
          last.stats = runtime.calculator.stats;
          await runtime.close();
        },
        isStopping: () => stopping,
        isFatal: isFencedFailure,
        onRecovery: () => metrics.recoveries.inc(),
      });
    } catch (error) {
      log.fatal(
        { err: error },
        'calculator stopped: a fatal failure, or its dependencies stayed away past STARTUP_TIMEOUT_MS',
      );
      exitCode = 1;
    }
    dependencies.stop();
    await ops.close();
    const { stats } = last;
    log.info(
      {
        exitCode,
        stats: stats && { ...stats, rejectedByReason: Object.fromEntries(stats.rejectedByReason) },
      },
      'stopped',
    );
    return exitCode;
  }
}
