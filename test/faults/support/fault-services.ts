// One fault case's services, as deployed: the calculator, corporate-actions and the gateway as
// child processes on the fault cluster, on fresh topics, with the sample fed through Kafka by
// `indexflow replay --kafka`. The gateway's count of levels read (read_committed) is the case's
// clock of progress: it keeps counting across a calculator restart.
import {
  type CalculatorEnvironment,
  makeDataset,
  offlineRows,
  prepareEnvironment,
} from '../../integration/support/calculator-environment.js';
import type { CalculatorProcess } from '../../integration/support/calculator-process.js';
import type { FaultCluster } from './fault-cluster.js';
import { freePorts, type OpsClient, opsClient, startFeed } from './fault-run.js';

/** Starters from the test file (tracked there, so everything they start dies with the file). */
export interface Starters {
  readonly calculator: (env: Record<string, string>) => CalculatorProcess;
  readonly gateway: (env: Record<string, string>) => CalculatorProcess;
  readonly corporateActions: (env: Record<string, string>) => CalculatorProcess;
}

export interface Service {
  readonly name: string;
  readonly process: CalculatorProcess;
  readonly ops: OpsClient;
}

export interface FaultServices {
  readonly environment: CalculatorEnvironment;
  /** The offline replay's levels.csv rows, sorted: what every reader must get, once each. */
  readonly expected: readonly string[];
  readonly feed: ReturnType<typeof startFeed>;
  readonly gatewayPort: number;
  /** Every calculator started, the one running now last. */
  readonly calculators: CalculatorProcess[];
  /** The services running now: calculator, gateway, corporate-actions. */
  services(): Service[];
  /**
   * SIGKILLs the running calculator and starts another on the same configuration at once; says so
   * when the killed one had already exited by itself.
   */
  restartCalculator(): Promise<string | null>;
  /** Levels the gateway has read so far. */
  progress(): Promise<number>;
  /** Waits until the gateway has read `fraction` of the expected levels. */
  waitProgress(fraction: number, timeoutMs: number): Promise<void>;
}

async function servicePorts() {
  const base = await freePorts([0, 1, 2, 3]);
  return { calculator: base, gateway: base + 1, gatewayOps: base + 2, corporateActions: base + 3 };
}

function serviceEnvironments(
  environment: CalculatorEnvironment,
  ports: Awaited<ReturnType<typeof servicePorts>>,
) {
  return {
    // The feed's producer stalls while the cluster fails over: the stale-source timeout must
    // outlast that, or the merge moves on and the delayed ticks become late data (refused, by
    // design). Its recovery paths and close steps are logged at info: a failed case shows them.
    calculator: {
      ...environment.env,
      BATCH_SIZE: '200',
      SOURCE_STALE_MS: '120000',
      HTTP_PORT: String(ports.calculator),
      LOG_LEVEL: 'info',
    },
    gateway: { ...environment.env, PORT: String(ports.gateway), OPS_PORT: String(ports.gatewayOps) },
    corporateActions: { ...environment.env, SERVICE_ID: 'faults', HTTP_PORT: String(ports.corporateActions) },
  };
}

export async function startFaultServices(cluster: FaultCluster, start: Starters): Promise<FaultServices> {
  const datasetDir = makeDataset('sample');
  const expected = await offlineRows(datasetDir);
  const environment = await prepareEnvironment({
    kafkaBrokers: cluster.kafkaBrokers,
    schemaRegistryUrl: cluster.schemaRegistryUrl,
    redisUrl: cluster.redisUrl,
    datasetDir,
  });
  const ports = await servicePorts();
  const envs = serviceEnvironments(environment, ports);
  const calculators = [start.calculator(envs.calculator)];
  const gateway = start.gateway(envs.gateway);
  const actions = start.corporateActions(envs.corporateActions);
  const gatewayOps = opsClient(ports.gatewayOps);
  const progress = () => gatewayOps.metric('indexflow_gateway_levels_in_total');
  const feed = startFeed(environment, datasetDir);
  const services = (): Service[] => [
    { name: 'calculator', process: calculators.at(-1)!, ops: opsClient(ports.calculator) },
    { name: 'gateway', process: gateway, ops: gatewayOps },
    { name: 'corporate-actions', process: actions, ops: opsClient(ports.corporateActions) },
  ];
  return {
    environment,
    expected,
    feed,
    gatewayPort: ports.gateway,
    calculators,
    services,
    restartCalculator: async () => {
      const killed = calculators.at(-1)!;
      const { exitCode, signalCode } = killed.child;
      killed.child.kill('SIGKILL');
      await killed.exited;
      calculators.push(start.calculator(envs.calculator));
      return exitCode === null && signalCode === null
        ? null
        : `the calculator had exited (${exitCode ?? signalCode}) before its SIGKILL`;
    },
    progress,
    waitProgress: async (fraction, timeoutMs) => {
      const target = Math.floor(expected.length * fraction);
      await until(
        services,
        async () => (await progress()) >= target,
        timeoutMs,
        async () => `the gateway read ${await progress()} of ${expected.length} levels, not ${target}`,
      );
    },
  };
}

/**
 * Polls `condition` until it holds. Fails at once when a service ended (nothing to wait for
 * then), and after `timeoutMs`, each time with `state()` (what the wait saw).
 */
export async function until(
  services: () => Service[],
  condition: () => Promise<boolean>,
  timeoutMs: number,
  state: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    const ended = services().filter(({ process: { child } }) => child.exitCode !== null || child.signalCode);
    if (ended.length > 0)
      throw new Error(`${ended.map((s) => s.name).join(', ')} ended while waiting: ${await state()}`);
    if (Date.now() >= deadline) throw new Error(`${await state()} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
