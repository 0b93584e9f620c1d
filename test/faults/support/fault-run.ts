// What every fault case does around its fault: free ports, the paced feed, the calculator's own
// progress counter, and the final checks (structured logs only; the offline levels once each).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@indexflow/testkit';
import { expect } from 'vitest';
import {
  type prepareEnvironment,
  recordAsRow,
  sortRows,
} from '../../integration/support/calculator-environment.js';
import type { CalculatorProcess } from '../../integration/support/calculator-process.js';
import { expectGapFree, readLevels, waitForLevels } from '../../integration/support/level-reader.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
type Environment = Awaited<ReturnType<typeof prepareEnvironment>>;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A base port whose `offsets` above it are all free on the loopback. */
export async function freePorts(offsets: readonly number[]): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await Promise.all(offsets.map((offset) => portFree(base + offset)))).every(Boolean)) return base;
  }
}

/**
 * The feed: `indexflow replay --kafka` (the documented procedure, on the native client), paced so
 * the sample's two days and the night between take about half a minute.
 */
export function startFeed(environment: Environment, datasetDir: string) {
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
  let output = '';
  feed.stdout.on('data', (chunk: Buffer) => (output += chunk));
  feed.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => feed.once('exit', resolve));
  return { exited, output: () => output };
}

/** The calculator's ops server: its own count of published levels (a reader waits for a healthy cluster). */
export function calculatorOps(opsPort: number, calculator: CalculatorProcess) {
  const get = (path: string) => fetch(`http://127.0.0.1:${opsPort}${path}`).catch(() => null);
  const metric = async (name: string) => {
    const metrics = await (await get('/metrics'))?.text();
    return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics ?? '')?.[1] ?? 0);
  };
  const published = () => metric('indexflow_levels_out_total');
  const waitPublished = async (count: number, timeoutMs: number) => {
    try {
      await waitFor(async () => (await published()) >= count, { timeoutMs, intervalMs: 200 });
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; published ${await published()}/${count}\n${calculator.output().slice(-3000)}`,
      );
    }
  };
  return { get, metric, published, waitPublished };
}

/**
 * After the fault: the calculator never exited, stops cleanly, wrote only structured log lines (no
 * raw stack trace, unhandled rejection or error event), and a read_committed reader from the
 * beginning gets every level of the offline replay once, nothing more.
 */
export async function expectRecovered(
  environment: Environment,
  calculator: CalculatorProcess,
  expected: readonly string[],
): Promise<void> {
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
}
