// One calculator process (SHARDS=1): its runtime run by runService (ops server, readiness probes,
// in-process recovery after a failed run).
import { isFencedFailure } from '@indexflow/kafka';
import { type Logger, type RunnableRuntime, type RunningService, runService } from '@indexflow/observability';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { type CalculatorRuntime, createCalculatorRuntime } from './calculator-runtime.js';
import type { CalculatorConfig } from './config.js';

/** The calculator runtime as runService runs it. */
function runnable(runtime: CalculatorRuntime): RunnableRuntime & { readonly runtime: CalculatorRuntime } {
  const { calculator } = runtime;
  return {
    runtime,
    probes: runtime.probes,
    ready: () => calculator.ready,
    run: () => calculator.run(),
    stop: () => calculator.stop(),
    close: () => runtime.close(),
  };
}

export function startSingleCalculator(config: CalculatorConfig, log: Logger): RunningService {
  const metrics = createCalculatorMetrics();
  let announced = false;
  let last: CalculatorRuntime | null = null;
  const service = runService({
    log,
    what: 'the calculator',
    ops: { host: config.HTTP_HOST, port: config.HTTP_PORT, registry: metrics.registry },
    probed: ['kafka', 'redis', 'registry'],
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
    start: async () => runnable(await createCalculatorRuntime(config, log, undefined, metrics)),
    isFatal: isFencedFailure,
    onRun: ({ runtime }, port) => {
      if (announced) return;
      announced = true;
      log.info(
        {
          port,
          topics: runtime.inputTopics,
          ordering: config.ORDERING,
          calendarYears: config.calendar.years,
        },
        'index-calculator starting',
      );
    },
    onRecovery: () => metrics.recoveries.inc(),
    onClosed: ({ runtime }) => {
      last = runtime;
    },
  });
  const done = service.done.then((exitCode) => {
    const stats = (last as CalculatorRuntime | null)?.calculator.stats;
    log.info(
      {
        exitCode,
        stats: stats && { ...stats, rejectedByReason: Object.fromEntries(stats.rejectedByReason) },
      },
      'stopped',
    );
    return exitCode;
  });
  return { stop: service.stop, done };
}
