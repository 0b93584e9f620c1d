import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shanghaiDate } from '@indexflow/dataset-files';
import type { IndexAdjustmentRecord } from '@indexflow/kafka';
import { createKeyLayout } from '@indexflow/redis-state';
import { waitFor } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareEnvironment } from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';
import { trackedCorporateActions } from './support/corporate-actions-process.js';
import { CLI } from './support/entry-points.js';
import { buildScenarioDataset } from './support/scenario-dataset.js';
import { TopicReader } from './support/topic-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startService = trackedCorporateActions();

describe.each(['native', 'kafkajs'])('corporate-actions register on the pipeline (%s client)', (client) => {
  const readers: TopicReader<unknown>[] = [];
  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.stop()));
  });

  it('publishes a scheduled date exactly once when killed between import and publication, after it, and when Redis lost its state', async () => {
    const scenario = buildScenarioDataset();
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir: scenario.dir });
    const { kafka, registry, topics, env, prefix } = environment;
    const today = shanghaiDate(Date.now());
    // Due at PUBLISH_AT today (the day before the ex-date), by the wall clock.
    const exDate = shanghaiDate(Date.now() + 86_400_000);
    const serviceEnv = (publishAt: string) => ({
      ...env,
      SERVICE_ID: 'once',
      PUBLISH_MODE: 'scheduled',
      PUBLISH_AT: publishAt,
      SCHEDULE_CHECK_MS: '100',
      KAFKA_CLIENT: client,
    });
    const adjustments = await new TopicReader<IndexAdjustmentRecord>(
      kafka,
      registry,
      topics.indexAdjustments,
    ).start();
    readers.push(adjustments);
    const admin = kafka.admin();
    await admin.connect();
    const consumed = async () => {
      const [offsets] = await admin.fetchOffsets({
        groupId: `indexflow-corporate-actions-${prefix}once-actions`,
        topics: [topics.corporateActions],
      });
      return Number(offsets?.partitions[0]?.offset ?? -1);
    };
    // Not due before 23:59 today: the register holds the date.
    let service = startService(serviceEnv('23:59'));
    const wait = async (what: string, condition: () => boolean | Promise<boolean>) => {
      try {
        await waitFor(condition, { timeoutMs: 60_000, intervalMs: 50 });
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}\nservice:\n${service.output().slice(-3000)}`);
      }
    };

    const file = join(scenario.dir, 'tomorrow.csv');
    writeFileSync(
      file,
      `exDate,type,symbol,index,ratio,price,amount,shares\n${exDate},split,688041.SH,,3,,,\n${exDate},bonus,300017.SZ,,0.4,,,\n`,
    );
    const output = execFileSync(
      process.execPath,
      [CLI, 'actions', 'import', file, '--indices', scenario.dir, '--as-of', today],
      // The import reads the service's PUBLISH_AT to know which dates are due (and so worth
      // waiting for): with the service's 23:59, none is, whatever the hour the test runs at.
      { cwd: ROOT, env: { ...process.env, ...env, PUBLISH_AT: '23:59' }, encoding: 'utf8' },
    );
    expect(output).toContain('2 published');
    await wait('announcements registered', async () => (await consumed()) >= 2);
    expect(adjustments.records).toHaveLength(0);
    service.child.kill('SIGKILL');
    await service.exited;

    // Restarted with the date due at once: published from the recovered register, then killed
    // again as soon as the record is visible (its state may or may not be promoted yet).
    service = startService(serviceEnv('00:00'));
    await wait('adjustment published', () => adjustments.records.length > 0);
    service.child.kill('SIGKILL');
    await service.exited;
    service = startService(serviceEnv('00:00'));
    await wait('register recovered', () => service.output().includes('corporate-actions running'));
    // Several schedule checks after the restart.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    service.child.kill('SIGTERM');
    await service.exited;

    // Redis loses the register's state: it is rebuilt from the actions topic, and the date the
    // adjustments topic holds stays published.
    const redis = new Redis(env.REDIS_URL!);
    const keys = createKeyLayout({ calculatorId: 'ca:once:actions', prefix });
    expect(await redis.del(keys.committed, keys.pending)).toBeGreaterThan(0);
    await redis.quit();
    service = startService(serviceEnv('00:00'));
    await wait('register rebuilt', () => service.output().includes(`"reconciled":["${exDate}"]`));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    service.child.kill('SIGTERM');
    await service.exited;
    await admin.disconnect();

    const published = adjustments.records.map((r) => r.value!);
    expect(published.map((a) => a.effectiveDate)).toEqual([exDate]);
    expect(published[0]!.actions.map((a) => `${a.type} ${a.symbol}`)).toEqual([
      'split 688041.SH',
      'bonus 300017.SZ',
    ]);
  }, 180_000);
});
