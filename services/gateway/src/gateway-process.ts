// The gateway process: its runtime run by runService (the ops server with /metrics, /healthz and
// /readyz, the readiness probes, start-up retries until STARTUP_TIMEOUT_MS, the ordered close).
// main.ts runs it until a signal; tests and the benchmark start it in-process with startGateway.
import { type Logger, type RunningService, runService } from '@indexflow/observability';
import type { GatewayConfig } from './config.js';
import type { FeedHub } from './feed-hub.js';
import { GatewayNotStartedError } from './gateway-errors.js';
import { createGatewayMetrics, type GatewayMetrics, registerFeedCapMetrics } from './gateway-metrics.js';
import { createGatewayRuntime, type GatewayRuntime, type GatewayRuntimeOptions } from './gateway-runtime.js';
import type { LevelConsumer } from './level-consumer.js';

export interface GatewayProcess extends RunningService {
  readonly metrics: GatewayMetrics;
  /** Resolves once the gateway listens; rejects when it stopped before (the start's failure). */
  readonly running: Promise<{ readonly runtime: GatewayRuntime; readonly opsPort: number }>;
}

export function startGatewayProcess(
  config: GatewayConfig,
  log: Logger,
  options: GatewayRuntimeOptions = {},
): GatewayProcess {
  const metrics = createGatewayMetrics();
  let current: GatewayRuntime | null = null;
  let startFailure: unknown = null;
  // Registered once per process, reading whichever runtime runs (a retried start builds another).
  registerFeedCapMetrics(
    metrics.registry,
    {
      maxConnectionsPerDesk: config.MAX_CONNECTIONS_PER_DESK,
      maxSubscriptionsPerSession: config.MAX_SUBSCRIPTIONS_PER_SESSION,
    },
    () => current?.sessions.countByDesk() ?? new Map(),
  );
  let announce: (running: { runtime: GatewayRuntime; opsPort: number }) => void = () => {};
  const running = new Promise<{ runtime: GatewayRuntime; opsPort: number }>((resolve) => {
    announce = resolve;
  });
  const service = runService<GatewayRuntime>({
    log,
    what: 'the gateway',
    ops: { host: config.OPS_HOST, port: config.OPS_PORT, registry: metrics.registry },
    probed: ['kafka', 'redis', 'registry'],
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
    start: async () => {
      try {
        current = await createGatewayRuntime(config, log, metrics, options);
        return current;
      } catch (error) {
        startFailure = error;
        throw error;
      }
    },
    // A run only ends when stopped (the gateway keeps no state to recover): nothing is retried.
    isFatal: () => true,
    onRun: (runtime, opsPort) => {
      logListening(config, log, runtime, opsPort);
      announce({ runtime, opsPort });
    },
  });
  const done = service.done.then((exitCode) => {
    log.info({ exitCode }, 'stopped');
    return exitCode;
  });
  return {
    stop: service.stop,
    done,
    metrics,
    running: Promise.race([
      running,
      done.then((exitCode) => Promise.reject(new GatewayNotStartedError(exitCode, startFailure))),
    ]),
  };
}

function logListening(config: GatewayConfig, log: Logger, runtime: GatewayRuntime, opsPort: number): void {
  log.info(
    {
      url: `${runtime.protocol}://${config.HOST}:${runtime.port}`,
      opsPort,
      historyFrom: config.HISTORY_FROM,
      authMode: config.AUTH_MODE,
      kafkaClient: config.KAFKA_CLIENT,
      desks: config.GATEWAY_DESKS.map((d) => d.desk),
    },
    'gateway listening',
  );
}

/** A gateway started in-process (tests, the benchmark). */
export interface RunningGateway {
  /** `http` or `https`, as configured. */
  readonly protocol: 'http' | 'https';
  readonly port: number;
  readonly opsPort: number;
  readonly hub: FeedHub;
  readonly metrics: GatewayMetrics;
  readonly levels: LevelConsumer;
  /** Stops in reverse order of start: clients, HTTP, Kafka, Redis, then the ops server. */
  close(): Promise<void>;
}

/** The gateway process in-process: resolves once it listens, rejects with its start's failure. */
export async function startGateway(
  config: GatewayConfig,
  log: Logger,
  options: GatewayRuntimeOptions = {},
): Promise<RunningGateway> {
  const gateway = startGatewayProcess(config, log, options);
  const { runtime, opsPort } = await gateway.running;
  return {
    protocol: runtime.protocol,
    port: runtime.port,
    opsPort,
    hub: runtime.hub,
    metrics: gateway.metrics,
    levels: runtime.levels,
    close: async () => {
      gateway.stop();
      await gateway.done;
    },
  };
}
