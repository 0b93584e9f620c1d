// What every fault case runs around its fault: free ports, the paced feed, and the services' ops
// servers (health and metrics).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { prepareEnvironment } from '../../integration/support/calculator-environment.js';
import { CLI } from '../../integration/support/entry-points.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
type Environment = Awaited<ReturnType<typeof prepareEnvironment>>;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A base port whose `offsets` (up to 700) above it are all free on the loopback, below Linux's
 * ephemeral range (32768 up): a port in it may be taken by any outgoing connection between this
 * check and the service's listen (a gateway once failed on EADDRINUSE that way).
 */
export async function freePorts(offsets: readonly number[]): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await Promise.all(offsets.map((offset) => portFree(base + offset)))).every(Boolean)) return base;
  }
}

/**
 * The feed: `indexflow replay --kafka` (the documented procedure, on the native client), paced so
 * the sample's two days and the night between take about half a minute.
 */
export function startFeed(environment: Environment, datasetDir: string) {
  const feed = spawn(process.execPath, [CLI, 'replay', datasetDir, '--kafka', '--speed=4000', '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, ...environment.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  feed.stdout.on('data', (chunk: Buffer) => (output += chunk));
  feed.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => feed.once('exit', resolve));
  return { exited, output: () => output };
}

/** A service's ops server: its metrics and its health as a load balancer would ask for them. */
export function opsClient(port: number) {
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
  const metric = async (name: string) => {
    const metrics = await (await get('/metrics'))?.text().catch(() => '');
    return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics ?? '')?.[1] ?? 0);
  };
  const ready = async () => (await get('/readyz'))?.status === 200;
  /** The dependencies /readyz names as down (empty when ready or not answering). */
  const down = async (): Promise<string[]> => {
    const response = await get('/readyz');
    if (response?.status !== 503) return [];
    const body = (await response.json().catch(() => ({}))) as { down?: { name: string }[] };
    return (body.down ?? []).map((d) => d.name);
  };
  return { get, metric, ready, down };
}

export type OpsClient = ReturnType<typeof opsClient>;
