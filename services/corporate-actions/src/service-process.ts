// The corporate-actions process: the ops server, readiness probes and the two pipelines, kept up
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
import type { ServiceConfig } from './config.js';
import { createServiceMetrics } from './service-metrics.js';
import { createServiceRuntime, type ServiceRuntime } from './service-runtime.js';

const PROBED = ['kafka', 'redis', 'registry'] as const;

export interface ServiceProcess {
  /** Stops both pipelines after their current batch (SIGTERM). */
  stop(): void;
  /** The process's exit code once stopped: 0, or 1 after a fatal failure. */
  readonly done: Promise<number>;
}

export function startServiceProcess(config: ServiceConfig, log: Logger): ServiceProcess {
  let stopping = false;
  let current: ServiceRuntime | null = null;
  const stop = () => {
    stopping = true;
    current?.stop();
  };
  return { stop, done: run() };

  async function run(): Promise<number> {
    const metrics = createServiceMetrics();
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
      isReady: () => !stopping && current?.ready() === true,
      dependencies,
    });
    let probing = false;
    let exitCode = 0;
    try {
      await keepRunning<ServiceRuntime>({
        log,
        what: 'the corporate-actions service',
        start: () =>
          startWithRetry(() => createServiceRuntime(config, log, metrics), {
            log,
            what: 'the corporate-actions service',
            deadlineMs: config.STARTUP_TIMEOUT_MS,
          }),
        run: async (runtime) => {
          if (!probing) {
            probing = true;
            await dependencies.start();
          }
          log.info(
            {
              port: ops.port,
              mode: config.PUBLISH_MODE,
              publishAt: config.PUBLISH_AT,
              fxMaxJump: config.FX_MAX_JUMP,
            },
            'corporate-actions running',
          );
          if (stopping) runtime.stop();
          await runtime.done;
        },
        onRuntime: (runtime) => {
          current = runtime;
        },
        close: async (runtime) => {
          // Before the connections close, so that their closing is not reported as an outage.
          if (stopping) dependencies.stop();
          await runtime.close();
        },
        isStopping: () => stopping,
        isFatal: isFencedFailure,
        onRecovery: () => metrics.recoveries.inc(),
      });
    } catch (error) {
      log.fatal(
        { err: error },
        'corporate-actions stopped: a fatal failure, or its dependencies stayed away past STARTUP_TIMEOUT_MS',
      );
      exitCode = 1;
    }
    dependencies.stop();
    await ops.close();
    log.info({ exitCode }, 'stopped');
    return exitCode;
  }
}
