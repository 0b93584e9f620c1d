import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLevelRow, LEVELS_CSV_HEADER, replayDataset } from '@indexflow/dataset-files';
import type { ServerMessage } from '@indexflow/gateway';
import { Dec, formatFixed, levelChange, type OfficialClose } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../../packages/seed-indices/sample', import.meta.url));
const INDICES = ['995365.SSI', '995366.SSI', '995367.SSI'];
/** Tight enough that the simulated HKDCNY walk breaks it a few dozen times in the day of seed 9. */
const FX_MAX_JUMP = '0.0002';

type LevelMessage = Extract<ServerMessage, { type: 'level' }>;

/** Runs `pnpm start`'s entry point; resolves the gateway URL once printed, and the exit when done. */
function startEmbedded(args: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The in-memory run: without the service endpoints (which `pnpm test:all` exports).
    env: { ...process.env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', REDIS_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  let running = true;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const gatewayUrl = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const url = /desk gateway at (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url !== undefined) resolve(url);
    });
    child.once('exit', () => reject(new Error(`exited before serving the gateway:\n${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 80_000);
  void exited.then(() => clearTimeout(killTimer));
  return {
    gatewayUrl,
    exited,
    isRunning: () => running,
    output: () => ({ stdout, stderr }),
  };
}

/** Subscribes to every seed index over the gateway's WebSocket and collects the levels. */
async function subscribeAll(url: string): Promise<{ levels: LevelMessage[]; closed: Promise<void> }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`);
  const levels: LevelMessage[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'level') levels.push(message);
  });
  socket.send(JSON.stringify({ type: 'subscribe', indices: INDICES }));
  return { levels, closed };
}

describe('pnpm start (embedded pipeline)', () => {
  it("takes its flags after pnpm's `--` separator and removes the temporary dataset when it ends", async () => {
    const temp = mkdtempSync(join(tmpdir(), 'indexflow-embedded-tmp-'));
    const out = join(temp, 'levels.csv');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, '--', '--speed', 'max', '--no-gateway', '--quiet', '--out', out],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: temp, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', REDIS_URL: '' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(temp).filter((name) => name.startsWith('indexflow-day-'))).toEqual([]);
  }, 90_000);

  it('runs an accelerated day with corporate actions, the FX filter and the desk feed; its levels equal the offline replay byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-embedded-test-'));
    const out = join(dir, 'levels.csv');
    const dataset = join(dir, 'dataset');
    const announcements = join(dir, 'announcements.csv');
    // b2 is a second bonus of the same stock on the same date under another id: the register
    // refuses it (under b1's id it would amend b1).
    writeFileSync(
      announcements,
      [
        'actionId,exDate,type,symbol,index,ratio,price,amount,shares',
        'b1,2025-03-20,bonus,300017.SZ,,0.4,,,',
        'd1,2025-03-20,cash_dividend,0700.HK,,,,2.40,',
        'b2,2025-03-20,bonus,300017.SZ,,0.5,,,',
        '',
      ].join('\n'),
    );
    const run = startEmbedded([
      ...['--speed', '2500', '--seed', '9', '--snapshot-interval-ms', '60000'],
      ...['--fx-max-jump', FX_MAX_JUMP, '--actions', announcements, '--port', '0', '--quiet'],
      ...['--out', out, '--dataset-dir', dataset],
    ]);
    const url = await run.gatewayUrl;
    const feed = await subscribeAll(url);
    await expect.poll(() => feed.levels.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const response = await fetch(`${url}/v1/indices`);
    const listed = (await response.json()) as { indices: { indexId: string }[] };
    expect(run.isRunning()).toBe(true);
    expect(response.status).toBe(200);
    expect(listed.indices.map((i) => i.indexId)).toEqual(INDICES);

    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(0);
    // The run ended by itself and closed the desk's connection.
    await feed.closed;
    expect(stderr).toMatch(/action refused: conflicting_action: b2 is a second bonus .* conflicting with b1/);
    expect(readFileSync(join(dataset, 'actions.csv'), 'utf8').trim().split('\n')).toHaveLength(3);

    const offline = [LEVELS_CSV_HEADER];
    const officialCloses = new Map<string, OfficialClose>();
    const summary = await replayDataset(dataset, {
      onLevel: (level) => offline.push(formatLevelRow(level)),
      onClose: (close) => officialCloses.set(`${close.tradingDate}|${close.indexId}`, close),
      engine: { rejectUnknownSymbols: true },
      fxFilter: { maxJump: FX_MAX_JUMP },
    });
    expect(summary.adjustments).toBe(1);
    const fxJumps = summary.rejectedByReason.fx_jump ?? 0;
    expect(fxJumps).toBeGreaterThan(0);
    expect(summary.rejected).toBe(fxJumps);
    expect(stderr).toContain(`(fx_jump=${fxJumps})`);
    expect(offline.length).toBeGreaterThan(1000);
    expect(readFileSync(out, 'utf8')).toBe(`${offline.join('\n')}\n`);

    // The desk saw levels of every index in sequence (skips counted in `conflated`), each equal
    // to the replay's level of that sequence.
    const rows = new Map(
      offline.slice(1).map((row) => {
        const [, index, level, sequence] = row.split(',');
        return [`${index}|${sequence}`, level];
      }),
    );
    for (const index of INDICES) {
      const received = feed.levels.filter((m) => m.indexId === index);
      expect(received.length).toBeGreaterThan(5);
      for (const [i, message] of received.entries()) {
        const previous = received[i - 1];
        if (previous !== undefined) expect(message.sequence).toBe(previous.sequence + message.conflated + 1);
        expect(formatFixed(new Dec(message.level.level), 10)).toBe(rows.get(`${index}|${message.sequence}`));
        // Day 1 has a previous close (the base value on the indices' referenceDate) for the desk too.
        const prevClose = officialCloses.get(`2025-03-20|${index}`)!.prevClose!;
        expect(new Dec(message.level.prevClose!).eq(prevClose)).toBe(true);
      }
    }

    // The close summary shows each seed index's official close of the day, as the replay has it
    // (not the last level, which for indices with HK names moves with FX after the close).
    const lines = stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('date '));
    expect(lines[header]!.trim().split(/\s{2,}/)).toEqual([
      'date',
      'index',
      'close',
      'prev close',
      'change',
      '%',
      'high',
      'low',
      'basis',
    ]);
    for (const index of INDICES) {
      const official = officialCloses.get(`2025-03-20|${index}`);
      expect(official, index).toBeDefined();
      expect(official!.prevClose, index).not.toBeNull();
      const change = levelChange(new Dec(official!.level), new Dec(official!.prevClose!))!;
      const row = lines.find((line) => line.startsWith(`2025-03-20  ${index}`))!;
      expect(row.trim().split(/\s+/).slice(2, 6).concat(row.trim().split(/\s+/).at(-1)!)).toEqual([
        formatFixed(new Dec(official!.level), 4),
        formatFixed(new Dec(official!.prevClose!), 4),
        `${change.change.gte(0) ? '+' : ''}${formatFixed(change.change, 4)}`,
        `${change.change.gte(0) ? '+' : ''}${formatFixed(change.percent!, 2)}%`,
        'official',
      ]);
    }
  }, 90_000);

  it('runs a recorded dataset with --replay: the seed sample’s levels and official closes, as the offline replay has them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-embedded-replay-'));
    const out = join(dir, 'levels.csv');
    const run = startEmbedded(['--replay', SAMPLE, '--speed', 'max', '--port', '0', '--quiet', '--out', out]);
    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(0);
    const offline = [LEVELS_CSV_HEADER];
    const closes: OfficialClose[] = [];
    await replayDataset(SAMPLE, {
      onLevel: (level) => offline.push(formatLevelRow(level)),
      onClose: (close) => closes.push(close),
    });
    // Both dates, the second with its corporate actions (the sample's actions.csv).
    expect(offline.some((row) => row.endsWith(',index-adjustment,'))).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(`${offline.join('\n')}\n`);
    expect(closes).toHaveLength(6);
    const rows = stdout.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 4))).toEqual(
      closes.map((c) => [
        c.tradingDate,
        c.indexId,
        formatFixed(new Dec(c.level), 4),
        formatFixed(new Dec(c.prevClose!), 4),
      ]),
    );
    expect(rows.every((row) => row.endsWith('official'))).toBe(true);
  }, 90_000);

  it('refuses --replay with --actions: a recorded dataset brings its own actions.csv', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', MAIN, '--replay', SAMPLE, '--actions', 'a.csv'],
      {
        encoding: 'utf8',
        env: { ...process.env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', REDIS_URL: '' },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--actions must be left out with --replay');
  });
});
