import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisCloseHistory } from '@indexflow/close-history';
import { replayDataset } from '@indexflow/dataset-files';
import { Dec, type IndexLevel, type OfficialClose } from '@indexflow/index-engine';
import {
  closeToRecord,
  createAvroSerdes,
  createRecordReader,
  type IndexCloseRecord,
  kafkaClientFromEnv,
} from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startCloseHistoryConsumer } from '../../services/cli/src/eod/close-history-consumer.js';
import { closingFileRows } from '../../services/cli/src/eod/closing-file.js';
import { readConstituentInfo } from '../../services/cli/src/eod/constituent-info.js';
import { prepareEnvironment, produce } from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { CLI } from './support/entry-points.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const start = trackedCalculators();
const redis = new Redis(serviceEndpoints().redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
afterAll(() => redis.quit());

/** Two simulated trading days of the seed indices, thinned to one A-share snapshot a minute. */
function twoSimulatedDays(): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-closes-'));
  execFileSync(
    process.execPath,
    [CLI, 'simulate', '--out', dir, '--days', '2', '--seed', '23', '--snapshot-interval-ms', '60000'],
    { cwd: ROOT, stdio: 'ignore' },
  );
  return dir;
}

describe('official closes on real Kafka, Apicurio and Redis', () => {
  it('publishes two days of closes equal to the offline replay, keeps them in Redis, and exports files that add up', async () => {
    const datasetDir = twoSimulatedDays();
    const levels: IndexLevel[] = [];
    const offline: OfficialClose[] = [];
    await replayDataset(datasetDir, {
      onLevel: (level) => levels.push(level),
      onClose: (close) => offline.push(close),
      engine: { rejectUnknownSymbols: true },
    });
    const dates = [...new Set(offline.map((c) => c.tradingDate))];
    expect(dates).toHaveLength(2);
    expect(offline).toHaveLength(6);

    // Each close is the last level at or before its close instant; for the A-share-only index,
    // whose inputs stop at 15:00, that is also the day's last level.
    for (const close of offline) {
      const ofDay = levels.filter(
        (l) =>
          l.indexId === close.indexId &&
          new Date(l.eventTime + 8 * 3_600_000).toISOString().startsWith(close.tradingDate),
      );
      const atClose = ofDay.filter((l) => l.eventTime <= close.closeTime).at(-1)!;
      expect(close.level, `${close.indexId} ${close.tradingDate}`).toBe(atClose.level.toFixed(24));
      if (close.fx === null) expect(close.level).toBe(ofDay.at(-1)!.level.toFixed(24));
    }

    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
    const history = new RedisCloseHistory({ redis, prefix: uniqueName('eod') });
    const consumer = await startCloseHistoryConsumer({
      reader: createRecordReader({
        client: kafkaClientFromEnv(environment.env),
        brokers: serviceEndpoints().kafkaBrokers.split(','),
        clientId: uniqueName('eod'),
      }),
      registry: environment.registry,
      topic: environment.topics.indexCloses,
      groupId: uniqueName('eod'),
      history,
    });
    const published: IndexCloseRecord[] = [];
    const serdes = createAvroSerdes<IndexCloseRecord>(environment.registry, environment.topics.indexCloses);
    const reader = environment.kafka.consumer({ groupId: uniqueName('desk'), readUncommitted: false });
    await reader.connect();
    await reader.subscribe({ topic: environment.topics.indexCloses, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const record = await serdes.deserialize(message.value as Buffer);
        expect(message.key?.toString()).toBe(`${record.indexId}:${record.tradingDate}`);
        published.push(record);
      },
    });
    await produce(environment, datasetDir);
    const calculator = start({ ...environment.env, CONFLATION_INTERVAL_MS: '0' });
    try {
      await waitFor(() => consumer.stored() >= offline.length, { timeoutMs: 150_000, intervalMs: 250 });
    } catch (error) {
      throw new Error(`${(error as Error).message}; calculator output:\n${calculator.output().slice(-4000)}`);
    }
    await waitFor(() => published.length >= offline.length, { timeoutMs: 30_000 });
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await reader.stop();
    await reader.disconnect();
    await consumer.stop();

    // Live equals replay, every field, byte for byte.
    const expected = offline.map((close) => closeToRecord(close));
    expect(published).toEqual(expected);

    for (const close of expected) {
      const [stored] = await history.range(close.indexId, { from: close.tradingDate, to: close.tradingDate });
      expect(stored).toEqual(close);
      const rows = closingFileRows(stored!, readConstituentInfo(datasetDir, close.indexId));
      const weights = rows.reduce((sum, r) => sum.plus(r.weight_percent), new Dec(0));
      // Each weight is a 24-dp fraction rounded half-even: the sum is 100 % to within n half-units.
      expect(weights.minus(100).abs().lte(new Dec(rows.length).times('5e-23'))).toBe(true);
      const marketValue = rows.reduce(
        (sum, r) => sum.plus(new Dec(r.close_price).times(r.fx_rate).times(r.index_shares)),
        new Dec(0),
      );
      expect(marketValue.div(rows[0]!.divisor).toFixed(24, Dec.ROUND_HALF_EVEN)).toBe(close.level);
      expect(rows.every((r) => r.name !== '')).toBe(true);
    }
    expect((await history.range(expected[0]!.indexId)).map((c) => c.tradingDate)).toEqual(dates);
  }, 240_000);
});
