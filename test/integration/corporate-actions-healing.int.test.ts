// The corporate-actions service through a Redis outage: /readyz names Redis within seconds while
// /livez stays 200, the process never exits, and once Redis is back (empty) the register is
// rebuilt in-process from its topic and every ex-date is published exactly once.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shanghaiDate } from '@indexflow/dataset-files';
import type { IndexAdjustmentRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareEnvironment } from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';
import { trackedCorporateActions } from './support/corporate-actions-process.js';
import { CLI } from './support/entry-points.js';
import { freePort, PrivateRedis } from './support/private-redis.js';
import { buildScenarioDataset } from './support/scenario-dataset.js';
import { TopicReader } from './support/topic-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startService = trackedCorporateActions();
const servers: PrivateRedis[] = [];
const readers: TopicReader<unknown>[] = [];
afterAll(async () => {
  await Promise.all(readers.map((reader) => reader.stop()));
  for (const server of servers) await server.stop();
});

describe('corporate-actions through a Redis outage', () => {
  it('reports Redis down on /readyz, stays up, and publishes every ex-date once after Redis comes back empty', async () => {
    const scenario = buildScenarioDataset();
    const redis = await PrivateRedis.start({ appendOnly: false });
    servers.push(redis);
    const { kafka, registry, topics, env } = await prepareEnvironment({
      ...serviceEndpoints(),
      redisUrl: redis.url,
      datasetDir: scenario.dir,
    });
    const adjustments = await new TopicReader<IndexAdjustmentRecord>(
      kafka,
      registry,
      topics.indexAdjustments,
    ).start();
    readers.push(adjustments);
    const today = shanghaiDate(Date.now());
    const [first, second] = [1, 2].map((days) => shanghaiDate(Date.now() + days * 86_400_000));
    const port = await freePort();
    const service = startService({
      ...env,
      SERVICE_ID: 'heal',
      PUBLISH_MODE: 'immediate',
      HTTP_PORT: String(port),
    });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { code: response.status, body: (await response.json()) as { down?: { name: string }[] } };
    };
    const wait = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
      try {
        await waitFor(condition, { timeoutMs, intervalMs: 100 });
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}\nservice:\n${service.output().slice(-3000)}`);
      }
    };
    const importActions = (exDate: string, line: string) => {
      const file = join(scenario.dir, `actions-${exDate}.csv`);
      writeFileSync(file, `exDate,type,symbol,index,ratio,price,amount,shares\n${exDate},${line}\n`);
      return execFileSync(
        process.execPath,
        [CLI, 'actions', 'import', file, '--indices', scenario.dir, '--as-of', today, '--no-wait'],
        { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      );
    };
    await wait('ready', async () => (await get('/readyz').catch(() => ({ code: 0 }))).code === 200);
    expect(importActions(first!, 'split,688041.SH,,3,,,')).toContain('1 published');
    await wait('first ex-date published', () => adjustments.records.length === 1);

    await redis.kill();
    await wait('/readyz 503 naming redis', async () => (await get('/readyz')).code === 503, 10_000);
    expect((await get('/readyz')).body.down?.map((d) => d.name)).toEqual(['redis']);
    expect((await get('/livez')).code).toBe(200);

    // Back without its data: the register's next commit finds no committed state, fails, and the
    // service recovers in-process, rebuilding the register from the actions topic.
    await redis.restart();
    expect(importActions(second!, 'bonus,300017.SZ,,0.4,,,')).toContain('1 published');
    await wait('second ex-date published', () => adjustments.records.length >= 2, 90_000);
    await wait('ready again', async () => (await get('/readyz')).code === 200, 30_000);
    // A moment for anything published twice to show.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(adjustments.records.map((r) => r.value!.effectiveDate)).toEqual([first, second]);
    expect(service.child.exitCode).toBeNull();
    expect(service.output()).toContain('dependency not answering');
    expect(service.output()).toContain('recovering in-process from the last committed batch');
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 240_000);
});
