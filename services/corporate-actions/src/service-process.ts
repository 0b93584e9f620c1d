// The corporate-actions process: its runtime (the register and the FX filter) run by runService
// (ops server, readiness probes, in-process recovery after a failed run).
import { isFencedFailure } from '@indexflow/kafka';
import { type Logger, type RunnableRuntime, type RunningService, runService } from '@indexflow/observability';
import type { ServiceConfig } from './config.js';
import { createServiceMetrics } from './service-metrics.js';
import { createServiceRuntime, type ServiceRuntime } from './service-runtime.js';

function runnable(runtime: ServiceRuntime): RunnableRuntime {
  return {
    probes: runtime.probes,
    ready: runtime.ready,
    run: () => runtime.done,
    stop: () => runtime.stop(),
    close: () => runtime.close(),
  };
}

export function startServiceProcess(config: ServiceConfig, log: Logger): RunningService {
  const metrics = createServiceMetrics();
  const service = runService({
    log,
    what: 'the corporate-actions service',
    ops: { host: config.HTTP_HOST, port: config.HTTP_PORT, registry: metrics.registry },
    probed: ['kafka', 'redis', 'registry'],
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
    start: async () => runnable(await createServiceRuntime(config, log, metrics)),
    isFatal: isFencedFailure,
    onRun: (_runtime, port) =>
      log.info(
        { port, mode: config.PUBLISH_MODE, publishAt: config.PUBLISH_AT, fxMaxJump: config.FX_MAX_JUMP },
        'corporate-actions running',
      ),
    onRecovery: () => metrics.recoveries.inc(),
  });
  const done = service.done.then((exitCode) => {
    log.info({ exitCode }, 'stopped');
    return exitCode;
  });
  return { stop: service.stop, done };
}
