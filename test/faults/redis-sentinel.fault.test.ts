// The calculator on Redis under Sentinel (a primary, a replica, three sentinels) while the primary
// dies: the sentinels promote the replica, the calculator finds it through them and recovers by
// itself (the replica may lack the last second of writes: the state is then behind Kafka and is
// rebuilt from it), and the levels a read_committed reader gets are the offline replay's, once
// each, in order.
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
const NODES = ['primary', 'replica', 'sentinel-1', 'sentinel-2', 'sentinel-3'] as const;
const start = trackedCalculators();
const dir = mkdtempSync(join(tmpdir(), 'indexflow-redis-sentinel-'));
const pids = new Map<string, number>();
let first = 0;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

async function freeBlock(size: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = [...Array(size).keys()].map((i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
}

function kill(name: string) {
  try {
    process.kill(pids.get(name)!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  first = await freeBlock(NODES.length);
  const out = execFileSync('bash', [SERVICES, 'redis-sentinel', dir, String(first)], { encoding: 'utf8' });
  const lines = out.trim().split('\n').slice(-NODES.length).map(Number);
  for (const [i, name] of NODES.entries()) pids.set(name, lines[i]!);
}, 120_000);

afterAll(() => {
  for (const name of NODES) kill(name);
  rmSync(dir, { recursive: true, force: true });
});

describe('index-calculator on Redis under Sentinel', () => {
  it('keeps publishing the offline levels exactly once, without exiting, while the Redis primary is SIGKILLed and fails over', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const sentinels = [2, 3, 4].map((i) => `127.0.0.1:${first + i}`).join(',');
    const environment = await prepareEnvironment({
      ...serviceEndpoints(),
      redisUrl: `redis+sentinel://${sentinels}/indexflow`,
      datasetDir,
    });
    const opsPort = await freeBlock(1);
    const calculator = start({ ...environment.env, BATCH_SIZE: '200', HTTP_PORT: String(opsPort) });
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
    // The feed: `indexflow replay --kafka`, paced so the sample takes about half a minute. The
    // primary dies a third of the way through; the old primary comes back (as a replica) later.
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
    kill('primary');
    await waitPublished(Math.floor((expected.length * 2) / 3), 120_000);
    const restarted = execFileSync('bash', [SERVICES, 'redis-sentinel-node', dir, 'primary'], {
      encoding: 'utf8',
    });
    pids.set('primary', Number(restarted.trim().split('\n').at(-1)));
    expect(await fed, feedOutput.slice(-2000)).toBe(0);
    await waitPublished(expected.length, 120_000);
    // The replica was promoted: the sentinels name it as the primary now.
    const primary = execFileSync(
      'redis-cli',
      ['-p', String(first + 2), 'sentinel', 'get-master-addr-by-name', 'indexflow'],
      { encoding: 'utf8' },
    );
    expect(primary.trim().split('\n').at(-1)).toBe(String(first + 1));
    expect(calculator.child.exitCode, calculator.output().slice(-3000)).toBeNull();
    // It recovered in-process at least once (the primary's connection broke mid-run).
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    expect(Number(/^indexflow_inprocess_recoveries_total (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
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
  }, 300_000);
});
