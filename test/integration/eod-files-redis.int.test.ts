// The three end-of-day pieces against the real Redis close history: `backfill --closing-prices`
// writes it, `stats --index` and `eod export --opening` read it, each under its own TOPIC_PREFIX.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayDataset } from '@indexflow/dataset-files';
import type { OfficialClose } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { uniqueName } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CLI } from './support/entry-points.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const prefix = uniqueName('eod-files');
const dir = mkdtempSync(join(tmpdir(), 'indexflow-eod-redis-'));

/** Runs the real `indexflow` CLI against the test Redis under this test's own key prefix. */
function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: inject('redisUrl'), TOPIC_PREFIX: prefix },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterAll(async () => {
  const redis = new Redis(inject('redisUrl'));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('end-of-day files on the Redis close history', () => {
  it('backfills from closing prices, then stats --index and eod export --opening read the same closes', async () => {
    const replayed: OfficialClose[] = [];
    await replayDataset(SAMPLE_DIR, { onLevel: () => {}, onClose: (c) => replayed.push(c) });
    const prices = new Map(
      replayed.flatMap((c) => c.constituents.map((k) => [`${c.tradingDate},${k.symbol}`, k.price])),
    );
    const fx = new Map(replayed.flatMap((c) => (c.fx === null ? [] : [[c.tradingDate, c.fx.rate]])));
    writeFileSync(
      join(dir, 'prices.csv'),
      `date,symbol,price\n${[...prices].map(([k, p]) => `${k},${p}`).join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'fx.csv'),
      `date,pair,rate\n${[...fx].map(([d, r]) => `${d},HKDCNY,${r}`).join('\n')}\n`,
    );
    const fromPrices = [
      '--closing-prices',
      join(dir, 'prices.csv'),
      '--indices',
      SAMPLE_DIR,
      '--fx',
      join(dir, 'fx.csv'),
    ];

    // The same closes once into Redis and once into a file.
    expect(cli('backfill', ...fromPrices).code).toBe(0);
    expect(cli('backfill', ...fromPrices, '--out', join(dir, 'closes.csv')).code).toBe(0);
    expect(cli('backfill', ...fromPrices, '--out', join(dir, 'closes.jsonl')).code).toBe(0);

    const fromStore = cli('stats', '--index', '995366.SSI', '--format', 'json');
    expect(fromStore.code).toBe(0);
    const fromFile = cli(
      'stats',
      '--closes',
      join(dir, 'closes.csv'),
      '--index',
      '995366.SSI',
      '--format',
      'json',
    );
    expect(fromStore.stdout).toBe(fromFile.stdout);
    expect(JSON.parse(fromStore.stdout).indices).toHaveLength(1);

    const missing = cli('stats', '--index', 'NOPE');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: index NOPE has no closes in the close history');

    const opening = ['eod', 'export', '--index', '995366.SSI', '--date', '2025-03-20', '--opening'];
    const actions = ['--actions', join(SAMPLE_DIR, 'actions.csv'), '--definitions', SAMPLE_DIR];
    const redisFile = cli(...opening, ...actions);
    expect(redisFile.code).toBe(0);
    const jsonlFile = cli(...opening, ...actions, '--closes', join(dir, 'closes.jsonl'));
    expect(redisFile.stdout).toBe(jsonlFile.stdout);
    expect(redisFile.stdout.split('\n')[0]).toBe(
      'date,index,symbol,name,currency,reference_price,fx_rate,index_shares,market_value,weight_percent,cap_factor,divisor,index_level',
    );
    expect(redisFile.stdout).toContain('2025-03-21,995366.SSI,300017.SZ,');
  }, 180_000); // seven CLI processes
});
