// The seed sample's official closes, the same (date, index, close, previous close) on every path a
// user has: the offline replay's table, `replay --closes` JSONL and CSV, `pnpm start --replay` on
// the real services (its closes read from the index-closes topic), the close history that
// `eod consume` fills, `indexflow history`, the gateway's REST, and its dashboard in Chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayDataset } from '@indexflow/dataset-files';
import { Dec, formatFixed, type OfficialClose, PRINTED_LEVEL_DECIMALS } from '@indexflow/index-engine';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { launchChromium } from '../../services/gateway/src/testing/chromium.js';
import { openDashboard } from '../../services/gateway/src/testing/dashboard-page.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import { serviceEndpoints } from './support/calculator-process.js';
import { CLI, EMBEDDED } from './support/entry-points.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const KEY = 'sample-closes-key-7d1f09';

/** (date|index) → [close, previous close], as texts of one path. */
type Closes = Map<string, [string, string]>;

/** The offline replay's closes at a path's precision: full (files, Kafka, Redis, REST) or printed (tables). */
function expected(truth: readonly OfficialClose[], precision: 'full' | 'printed'): Closes {
  const text = (value: string) =>
    precision === 'full' ? value : formatFixed(new Dec(value), PRINTED_LEVEL_DECIMALS);
  return new Map(truth.map((c) => [`${c.tradingDate}|${c.indexId}`, [text(c.level), text(c.prevClose!)]]));
}

/** Rows of a printed table whose first cell is a date: [date, index, ...cells] by blank runs. */
function tableRows(stdout: string, header: string[]): string[][] {
  const lines = stdout.split('\n');
  const at = lines.findIndex(
    (line) =>
      line
        .trim()
        .split(/\s{2,}/)
        .join('|') === header.join('|'),
  );
  expect(at, `header ${header.join(', ')} in\n${stdout}`).toBeGreaterThanOrEqual(0);
  return lines
    .slice(at + 1)
    .filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line))
    .map((line) => line.trim().split(/\s+/));
}

/** Runs a command's entry point as a user would; resolves its stdout once it exits 0. */
async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [command, ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, `${args.join(' ')}\n${stderr}`).toBe(0);
  return stdout;
}

let gateway: RunningGateway | undefined;
let consumer: ChildProcess | undefined;
afterAll(async () => {
  consumer?.kill('SIGKILL');
  await gateway?.close();
});

describe('the seed sample’s official closes on every path', () => {
  it('are the same (date, index, close, prev close) in replay, replay --closes, pnpm start on Kafka, the close history, REST and the dashboard', async () => {
    const truth: OfficialClose[] = [];
    await replayDataset(SAMPLE, { onLevel: () => {}, onClose: (close) => truth.push(close) });
    // Two dates of three indices, each with a previous close (day 1: the base value).
    expect(truth).toHaveLength(6);
    expect(truth.every((c) => c.prevClose !== null)).toBe(true);
    const full = expected(truth, 'full');
    const printed = expected(truth, 'printed');
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-sample-closes-'));

    const { kafkaBrokers, schemaRegistryUrl, redisUrl } = serviceEndpoints();
    const env = {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers,
      SCHEMA_REGISTRY_URL: schemaRegistryUrl,
      REDIS_URL: redisUrl,
      TOPIC_PREFIX: `${uniqueName('sample-closes')}.`,
    };
    // The three runs at once: indexflow replay with its closes table and each closes file, and
    // pnpm start on the real services (its closes read back from the closes topic).
    const jsonl = join(dir, 'closes.jsonl');
    const csv = join(dir, 'closes.csv');
    const [table, , summary] = await Promise.all([
      run(CLI, ['replay', SAMPLE, '--out', join(dir, 'levels.csv'), '--closes', jsonl]),
      run(CLI, ['replay', SAMPLE, '--out', join(dir, 'levels-2.csv'), '--closes', csv, '--quiet']),
      run(
        EMBEDDED,
        ['--replay', SAMPLE, '--speed', 'max', '--quiet', '--out', join(dir, 'levels-kafka.csv')],
        env,
      ),
    ]);
    const replayHeader = ['date', 'index', 'close', 'prev close', 'change', '%', 'basis', 'sequence'];
    const replayRows = tableRows(table, replayHeader);
    expect(new Map(replayRows.map((r) => [`${r[0]}|${r[1]}`, [r[2], r[3]]]))).toEqual(printed);
    expect(replayRows.every((r) => r[6] === 'official')).toBe(true);
    const fromJsonl = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OfficialClose);
    expect(new Map(fromJsonl.map((c) => [`${c.tradingDate}|${c.indexId}`, [c.level, c.prevClose]]))).toEqual(
      full,
    );
    const [csvHeader, ...csvRows] = readFileSync(csv, 'utf8').trim().split('\n');
    expect(csvHeader!.split(',').slice(0, 4)).toEqual(['date', 'index', 'close', 'prev_close']);
    expect(
      new Map(csvRows.map((row) => row.split(',')).map((r) => [`${r[0]}|${r[1]}`, [r[2], r[3]]])),
    ).toEqual(full);

    // pnpm start's summary: the calculator's closes from the closes topic.
    const startHeader = ['date', 'index', 'close', 'prev close', 'change', '%', 'high', 'low', 'basis'];
    const startRows = tableRows(summary, startHeader);
    expect(new Map(startRows.map((r) => [`${r[0]}|${r[1]}`, [r[2], r[3]]]))).toEqual(printed);
    expect(startRows.every((r) => r.at(-1) === 'official')).toBe(true);
    // change and % print the same on both tables.
    for (const row of startRows)
      expect(row.slice(4, 6)).toEqual(
        replayRows.find((r) => r[0] === row[0] && r[1] === row[1])!.slice(4, 6),
      );

    // eod consume copies the closes topic into the close history that history and REST read.
    let stderr = '';
    consumer = spawn(process.execPath, [CLI, 'eod', 'consume'], { cwd: ROOT, env });
    consumer.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor(() => (stderr.match(/^stored /gm) ?? []).length >= truth.length, {
      timeoutMs: 30_000,
      description: `eod consume storing ${truth.length} closes; stderr:\n${stderr}`,
    });
    consumer.kill('SIGTERM');
    const indices = [...new Set(truth.map((c) => c.indexId))];
    const history: Closes = new Map();
    const printedHistory = await Promise.all(
      indices.map((index) => run(CLI, ['history', '--index', index], env)),
    );
    for (const text of printedHistory) {
      const [header, ...rows] = text.trim().split('\n');
      expect(header!.split(',').slice(0, 4)).toEqual(['date', 'index', 'close', 'prev_close']);
      for (const r of rows.map((row) => row.split(','))) history.set(`${r[0]}|${r[1]}`, [r[2]!, r[3]!]);
    }
    expect(history).toEqual(full);

    gateway = await startGateway(
      loadConfig({
        ...env,
        CALCULATOR_ID: 'embedded',
        HISTORY_FROM: 'beginning',
        PORT: '0',
        OPS_PORT: '0',
        LOG_LEVEL: 'warn',
        GATEWAY_DESKS: JSON.stringify([{ desk: 'eod', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
      }),
      createMemoryLogger('warn').logger,
    );
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${gateway!.port}${path}`, {
        headers: { 'x-api-key': KEY },
      });
      expect(response.status, path).toBe(200);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const rest: Closes = new Map();
    for (const index of indices) {
      const { closes } = (await get(`/v1/indices/${index}/closes`)) as { closes: OfficialClose[] };
      for (const c of closes) rest.set(`${c.tradingDate}|${c.indexId}`, [c.level, c.prevClose!]);
      // The latest level (day 2) carries the previous official close: day 1's.
      await waitFor(() => gateway!.hub.latest(index)?.sequence === Math.max(...sequencesOf(table, index)), {
        timeoutMs: 30_000,
        description: `the gateway's last level of ${index}`,
      });
      const { latest } = (await get(`/v1/indices/${index}`)) as { latest: { prevClose: string } };
      expect(new Dec(latest.prevClose).eq(full.get(`2025-03-21|${index}`)![1])).toBe(true);
    }
    expect(rest).toEqual(full);

    // The dashboard, opened on each index after the run, shows day 2's close as its level and day
    // 1's as the previous close, printed as the tables print them.
    const browser = await launchChromium();
    try {
      const shown = await Promise.all(indices.map((index) => dashboardCloses(browser, index, table)));
      for (const [i, index] of indices.entries()) {
        const [close, prevClose] = printed.get(`2025-03-21|${index}`)!;
        expect(prevClose).toBe(printed.get(`2025-03-20|${index}`)![0]);
        expect(shown[i]).toEqual({ close, prevClose, errors: [] });
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});

/** The level and previous close the dashboard shows for `index` once it shows its last level. */
async function dashboardCloses(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  index: string,
  table: string,
) {
  const last = Math.max(...sequencesOf(table, index));
  const { page, errors, attribute } = await openDashboard(browser, { port: gateway!.port, key: KEY, index });
  await waitFor(async () => Number(await attribute('#level', 'data-sequence')) === last, {
    timeoutMs: 15_000,
    description: `the dashboard of ${index} showing level #${last}`,
  });
  return {
    close: await page.textContent('#level'),
    prevClose: await page.textContent('#prev-close'),
    errors,
  };
}

/** The sequences of an index's rows in the replay's closes table (its last level of each date). */
function sequencesOf(table: string, index: string): number[] {
  return table
    .split('\n')
    .filter((line) => line.includes(`  ${index}  `))
    .map((line) => Number(line.trim().split(/\s+/).at(-1)));
}
