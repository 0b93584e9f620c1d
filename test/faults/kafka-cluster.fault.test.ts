// The calculator on a replicated Kafka cluster (3 KRaft nodes, replication factor 3,
// min.insync.replicas 2) while a node dies and comes back, and while the whole cluster is paused:
// the process never exits, and the levels a read_committed reader gets are the offline replay's,
// once each, in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@indexflow/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
} from '../integration/support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from '../integration/support/calculator-process.js';
import { calculatorOps, expectRecovered, freePorts, startFeed } from './support/fault-run.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = join(ROOT, 'scripts/services.sh');
const NODES = 3;
const start = trackedCalculators();
const dir = mkdtempSync(join(tmpdir(), 'indexflow-kafka-cluster-'));
const pids: number[] = [];
let first = 0;

function signal(node: number, name: NodeJS.Signals) {
  try {
    process.kill(pids[node - 1]!, name);
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  // Client ports first…first+2, controller ports 100 above.
  first = await freePorts([0, 1, 2, 100, 101, 102]);
  const out = execFileSync('bash', [SERVICES, 'kafka-cluster', dir, String(first), String(NODES)], {
    encoding: 'utf8',
  });
  pids.push(...out.trim().split('\n').slice(-NODES).map(Number));
}, 240_000);

afterAll(() => {
  for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGCONT');
  for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh dataset and topics on the cluster, and a calculator on them. */
async function calculatorOnCluster() {
  const datasetDir = makeDataset('sample');
  const expected = await offlineRows(datasetDir);
  const brokers = [...Array(NODES).keys()].map((i) => `127.0.0.1:${first + i}`).join(',');
  const environment = await prepareEnvironment({ ...serviceEndpoints(), kafkaBrokers: brokers, datasetDir });
  const opsPort = await freePorts([0]);
  // The feed's own producer stalls while the cluster fails over (its requests to the dead node
  // time out, then it finds the new leaders): the stale-source timeout must outlast that, or the
  // merge moves on and the feed's delayed ticks become late data (refused, by design).
  const calculator = start({
    ...environment.env,
    BATCH_SIZE: '200',
    SOURCE_STALE_MS: '120000',
    HTTP_PORT: String(opsPort),
  });
  const feed = startFeed(environment, datasetDir);
  return { expected, environment, calculator, feed, ops: calculatorOps(opsPort, calculator) };
}

describe('index-calculator on a 3-node Kafka cluster', () => {
  it('keeps publishing the offline levels exactly once, without exiting, while a node is SIGKILLed and restarted', async () => {
    const { expected, environment, calculator, feed, ops } = await calculatorOnCluster();
    // Node 1 dies a third of the way through and comes back (on its data) at two thirds.
    await ops.waitPublished(Math.floor(expected.length / 3), 120_000);
    signal(1, 'SIGKILL');
    await ops.waitPublished(Math.floor((expected.length * 2) / 3), 180_000);
    const restarted = execFileSync('bash', [SERVICES, 'kafka-cluster-node', dir, '1'], { encoding: 'utf8' });
    pids[0] = Number(restarted.trim().split('\n').at(-1));
    expect(await feed.exited, feed.output().slice(-2000)).toBe(0);
    await ops.waitPublished(expected.length, 180_000);
    await expectRecovered(environment, calculator, expected);
  }, 480_000);

  it('stays up while the whole cluster is paused (SIGSTOP) for 15 s: /readyz 503 naming kafka within seconds, ready again after, the levels exactly once', async () => {
    const { expected, environment, calculator, feed, ops } = await calculatorOnCluster();
    await ops.waitPublished(Math.floor(expected.length / 3), 120_000);
    expect((await ops.get('/readyz'))?.status).toBe(200);
    // Paused, the brokers keep their sockets open and answer nothing: only timeouts tell.
    const pausedAt = Date.now();
    for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGSTOP');
    const notReady = await waitFor(
      async () => {
        const response = await ops.get('/readyz');
        if (response?.status !== 503) return null;
        const body = (await response.json()) as { down?: { name: string }[] };
        return body.down?.some((d) => d.name === 'kafka') ? Date.now() - pausedAt : null;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect((await ops.get('/healthz'))?.status, 'alive while it heals').toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 15_000 - (Date.now() - pausedAt))));
    const resumedAt = Date.now();
    for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGCONT');
    const ready = await waitFor(
      async () => ((await ops.get('/readyz'))?.status === 200 ? Date.now() - resumedAt : null),
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    console.log(`paused cluster: /readyz 503 after ${notReady} ms, 200 again ${ready} ms after SIGCONT`);
    expect(await feed.exited, feed.output().slice(-2000)).toBe(0);
    await ops.waitPublished(expected.length, 180_000);
    await expectRecovered(environment, calculator, expected);
  }, 480_000);
});
