// Issue 17, poison pills: a record that kills the calculator process outright (SIGKILL, as an
// out-of-memory kill would; injected by a test preload) is dead-lettered as poison_pill after
// POISON_PILL_RESTARTS crashes at its offset, and every other record's levels are published.
import { fileURLToPath } from 'node:url';
import { createAvroSerdes, DEAD_LETTER_HEADERS, type MarketTickRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { produceDatasetWith } from './support/interleaved-produce.js';
import { readLevels } from './support/level-reader.js';
import { TopicReader } from './support/topic-reader.js';

const start = trackedCalculators();
const CRASH = fileURLToPath(new URL('./support/crash-on-price.ts', import.meta.url));
const PILL_PRICE = '6.666661';

describe('index-calculator poison pills on real Kafka', () => {
  it('dead-letters the record that keeps killing the process and publishes every other level', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
    const serdes = createAvroSerdes<MarketTickRecord>(environment.registry, environment.topics.ticksAshare);
    const pill = await serdes.serialize({
      symbol: '688041.SH',
      market: 'SH',
      currency: 'CNY',
      eventTime: Date.parse('2025-03-20T09:25:00+08:00'),
      sequence: 3_000_000,
      lastPrice: PILL_PRICE,
      volume: '0',
      turnover: '0',
      bidPrice: null,
      askPrice: null,
      tradingPhase: 'CONTINUOUS',
    });
    // Between good ticks, so the runs before it commit progress first.
    const [produced] = await produceDatasetWith(environment, datasetDir, 3, (producer) =>
      producer.send({ topic: environment.topics.ticksAshare, messages: [{ key: '688041.SH', value: pill }] }),
    );
    const levels = await readLevels(environment, environment.topics.indexLevels);
    const letters = await new TopicReader<unknown>(
      environment.kafka,
      environment.registry,
      environment.topics.deadLetter,
      false,
    ).start();

    // The supervisor's part: start the calculator again each time it dies.
    const env = {
      ...environment.env,
      CRASH_ON_PRICE: PILL_PRICE,
      POISON_PILL_RESTARTS: '3',
      LOG_LEVEL: 'info',
    };
    let crashes = 0;
    let calculator = start(env, [CRASH]);
    for (;;) {
      let exited = false;
      void calculator.exited.then(() => {
        exited = true;
      });
      await waitFor(() => exited || levels.records.length >= expected.length, {
        timeoutMs: 150_000,
        intervalMs: 100,
      });
      if (!exited) break;
      expect(calculator.child.signalCode, calculator.output().slice(-3000)).toBe('SIGKILL');
      crashes += 1;
      // Progress between crashes resets the count, so a few more than 3 are possible; not many.
      expect(crashes).toBeLessThanOrEqual(8);
      calculator = start(env, [CRASH]);
    }
    await waitFor(() => letters.records.length >= 1, { timeoutMs: 30_000 });
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await levels.stop();
    await letters.stop();

    expect(crashes).toBeGreaterThanOrEqual(3);
    expect(sortRows(levels.records.map(recordAsRow))).toEqual(expected);
    expect(letters.records).toHaveLength(1);
    const headers = letters.records[0]!.headers;
    expect(String(headers[DEAD_LETTER_HEADERS.rejectReason])).toBe('poison_pill');
    expect(String(headers[DEAD_LETTER_HEADERS.sourceOffset])).toBe(produced!.baseOffset);
    expect(String(headers[DEAD_LETTER_HEADERS.sourcePartition])).toBe(String(produced!.partition));
    expect(calculator.output()).toMatch(/poison pill dead-lettered and skipped/);
  }, 600_000);
});
