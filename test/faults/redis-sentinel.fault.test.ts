// The calculator on Redis under Sentinel (a primary, a replica, three sentinels) while the primary
// dies: the sentinels promote the replica, the calculator finds it through them and recovers by
// itself (the replica may lack the last second of writes: the state is then behind Kafka and is
// rebuilt from it), and the levels a read_committed reader gets are the offline replay's, once
// each, in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
const NODES = ['primary', 'replica', 'sentinel-1', 'sentinel-2', 'sentinel-3'] as const;
const start = trackedCalculators();
const dir = mkdtempSync(join(tmpdir(), 'indexflow-redis-sentinel-'));
const pids = new Map<string, number>();
let first = 0;

function kill(name: string) {
  try {
    process.kill(pids.get(name)!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  first = await freePorts([0, 1, 2, 3, 4]);
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
    const opsPort = await freePorts([0]);
    const calculator = start({ ...environment.env, BATCH_SIZE: '200', HTTP_PORT: String(opsPort) });
    const ops = calculatorOps(opsPort, calculator);
    const feed = startFeed(environment, datasetDir);
    // The primary dies a third of the way through; the old primary comes back (as a replica) later.
    await ops.waitPublished(Math.floor(expected.length / 3), 120_000);
    kill('primary');
    await ops.waitPublished(Math.floor((expected.length * 2) / 3), 120_000);
    const restarted = execFileSync('bash', [SERVICES, 'redis-sentinel-node', dir, 'primary'], {
      encoding: 'utf8',
    });
    pids.set('primary', Number(restarted.trim().split('\n').at(-1)));
    expect(await feed.exited, feed.output().slice(-2000)).toBe(0);
    await ops.waitPublished(expected.length, 120_000);
    // The replica was promoted: the sentinels name it as the primary now.
    const primary = execFileSync(
      'redis-cli',
      ['-p', String(first + 2), 'sentinel', 'get-master-addr-by-name', 'indexflow'],
      { encoding: 'utf8' },
    );
    expect(primary.trim().split('\n').at(-1)).toBe(String(first + 1));
    // It recovered in-process at least once (the primary's connection broke mid-run).
    expect(await ops.metric('indexflow_inprocess_recoveries_total')).toBeGreaterThan(0);
    await expectRecovered(environment, calculator, expected);
  }, 300_000);
});
