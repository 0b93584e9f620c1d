// The calculator on a replicated Kafka cluster (3 KRaft nodes, replication factor 3,
// min.insync.replicas 2) while a node dies and comes back: the process never exits, and the
// levels a read_committed reader gets are the offline replay's, once each, in order.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@indexflow/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
  recordAsRow,
  sortRows,
} from '../integration/support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from '../integration/support/calculator-process.js';
import { expectGapFree, readLevels, waitForLevels } from '../integration/support/level-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = join(ROOT, 'scripts/services.sh');
const NODES = 3;
const start = trackedCalculators();
const dir = mkdtempSync(join(tmpdir(), 'indexflow-kafka-cluster-'));
const pids: number[] = [];
let first = 0;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A base port whose next NODES client ports and the controller ports 100 above are all free. */
async function freeBlock(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = [...Array(NODES).keys()].flatMap((i) => [base + i, base + 100 + i]);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
}

function signal(node: number, name: NodeJS.Signals) {
  try {
    process.kill(pids[node - 1]!, name);
  } catch {
    // Already gone.
  }
}

function kill(node: number) {
  try {
    process.kill(pids[node - 1]!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  first = await freeBlock();
  const out = execFileSync('bash', [SERVICES, 'kafka-cluster', dir, String(first), String(NODES)], {
    encoding: 'utf8',
  });
  pids.push(...out.trim().split('\n').slice(-NODES).map(Number));
}, 240_000);

afterAll(() => {
  for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGCONT');
  for (let node = 1; node <= NODES; node += 1) kill(node);
  rmSync(dir, { recursive: true, force: true });
});

describe('index-calculator on a 3-node Kafka cluster', () => {
  it('keeps publishing the offline levels exactly once, without exiting, while a node is SIGKILLed and restarted', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const brokers = [...Array(NODES).keys()].map((i) => `127.0.0.1:${first + i}`).join(',');
    const environment = await prepareEnvironment({
      ...serviceEndpoints(),
      kafkaBrokers: brokers,
      datasetDir,
    });
    const opsPort = await freeBlock();
    // The feed's own producer stalls while the cluster fails over (its requests to the dead node
    // time out, then it finds the new leaders): the stale-source timeout must outlast that, or
    // the merge moves on and the feed's delayed ticks become late data (refused, by design).
    const calculator = start({
      ...environment.env,
      BATCH_SIZE: '200',
      SOURCE_STALE_MS: '120000',
      HTTP_PORT: String(opsPort),
    });
    // Progress from the calculator's own counter: the test's reader waits for a healthy cluster.
    const published = async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`).catch(() => null))?.text();
      return Number(/^indexflow_levels_out_total (\d+)/m.exec(metrics ?? '')?.[1] ?? 0);
    };
    const waitPublished = async (count: number, timeoutMs: number) => {
      try {
        await waitFor(async () => (await published()) >= count, { timeoutMs, intervalMs: 200 });
      } catch (error) {
        throw new Error(
          `${(error as Error).message}; published ${await published()}/${count}\n${calculator.output().slice(-3000)}`,
        );
      }
    };
    // The feed is `indexflow replay --kafka` (the documented procedure, on the native client),
    // paced so the sample's two days and the night between take about half a minute. Node 1 dies a
    // third of the way through and comes back (on its data) once two thirds are published.
    const feed = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'services/cli/src/main.ts',
        'replay',
        datasetDir,
        '--kafka',
        '--speed=4000',
        '--quiet',
      ],
      { cwd: ROOT, env: { ...process.env, ...environment.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let feedOutput = '';
    feed.stdout.on('data', (chunk: Buffer) => (feedOutput += chunk));
    feed.stderr.on('data', (chunk: Buffer) => (feedOutput += chunk));
    const fed = new Promise<number | null>((resolve) => feed.once('exit', resolve));
    await waitPublished(Math.floor(expected.length / 3), 120_000);
    kill(1);
    await waitPublished(Math.floor((expected.length * 2) / 3), 180_000);
    const restarted = execFileSync('bash', [SERVICES, 'kafka-cluster-node', dir, '1'], { encoding: 'utf8' });
    pids[0] = Number(restarted.trim().split('\n').at(-1));
    expect(await fed, feedOutput.slice(-2000)).toBe(0);
    await waitPublished(expected.length, 180_000);
    expect(calculator.child.exitCode, calculator.output().slice(-3000)).toBeNull();
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    // Every line it wrote through the fault is a structured log line: no raw stack trace, no
    // unhandled rejection or error event.
    for (const line of calculator.output().trim().split('\n'))
      expect(() => JSON.parse(line), line.slice(0, 300)).not.toThrow();
    // What a desk reads (read_committed, from the beginning, on the healed cluster): every level
    // once, nothing more.
    const reader = await readLevels(environment, environment.topics.indexLevels);
    await waitForLevels(reader, expected.length, calculator, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await reader.stop();
    const rows = sortRows(reader.records.map(recordAsRow));
    expectGapFree(rows);
    expect(rows).toEqual(expected);
  }, 480_000);
  it('stays up while the whole cluster is paused (SIGSTOP) for 15 s: /readyz 503 naming kafka within seconds, ready again after, the levels exactly once', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const brokers = [...Array(NODES).keys()].map((i) => `127.0.0.1:${first + i}`).join(',');
    const environment = await prepareEnvironment({
      ...serviceEndpoints(),
      kafkaBrokers: brokers,
      datasetDir,
    });
    const opsPort = await freeBlock();
    const calculator = start({
      ...environment.env,
      BATCH_SIZE: '200',
      SOURCE_STALE_MS: '120000',
      HTTP_PORT: String(opsPort),
    });
    const ops = (path: string) => fetch(`http://127.0.0.1:${opsPort}${path}`).catch(() => null);
    const published = async () => {
      const metrics = await (await ops('/metrics'))?.text();
      return Number(/^indexflow_levels_out_total (\d+)/m.exec(metrics ?? '')?.[1] ?? 0);
    };
    const feed = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'services/cli/src/main.ts',
        'replay',
        datasetDir,
        '--kafka',
        '--speed=4000',
        '--quiet',
      ],
      { cwd: ROOT, env: { ...process.env, ...environment.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let feedOutput = '';
    feed.stdout.on('data', (chunk: Buffer) => (feedOutput += chunk));
    feed.stderr.on('data', (chunk: Buffer) => (feedOutput += chunk));
    const fed = new Promise<number | null>((resolve) => feed.once('exit', resolve));
    await waitFor(async () => (await published()) >= Math.floor(expected.length / 3), {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    expect((await ops('/readyz'))?.status).toBe(200);
    // Paused, the brokers keep their sockets open and answer nothing: only timeouts tell.
    const pausedAt = Date.now();
    for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGSTOP');
    const notReady = await waitFor(
      async () => {
        const response = await ops('/readyz');
        if (response?.status !== 503) return null;
        const body = (await response.json()) as { down?: { name: string }[] };
        return body.down?.some((d) => d.name === 'kafka') ? Date.now() - pausedAt : null;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(await (await ops('/healthz'))?.status, 'alive while it heals').toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 15_000 - (Date.now() - pausedAt))));
    const resumedAt = Date.now();
    for (let node = 1; node <= NODES; node += 1) signal(node, 'SIGCONT');
    const ready = await waitFor(
      async () => ((await ops('/readyz'))?.status === 200 ? Date.now() - resumedAt : null),
      {
        timeoutMs: 120_000,
        intervalMs: 250,
      },
    );
    console.log(`paused cluster: /readyz 503 after ${notReady} ms, 200 again ${ready} ms after SIGCONT`);
    expect(await fed, feedOutput.slice(-2000)).toBe(0);
    await waitFor(async () => (await published()) >= expected.length, {
      timeoutMs: 180_000,
      intervalMs: 200,
    });
    expect(calculator.child.exitCode, calculator.output().slice(-3000)).toBeNull();
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    for (const line of calculator.output().trim().split('\n'))
      expect(() => JSON.parse(line), line.slice(0, 300)).not.toThrow();
    const reader = await readLevels(environment, environment.topics.indexLevels);
    await waitForLevels(reader, expected.length, calculator, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await reader.stop();
    const rows = sortRows(reader.records.map(recordAsRow));
    expectGapFree(rows);
    expect(rows).toEqual(expected);
  }, 480_000);
});
