import { replayDataset } from '@indexflow/dataset-files';
import { type IndexLevelRecord, levelToRecord } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import {
  conflateRows,
  makeDataset,
  offlineRows,
  prepareEnvironment,
  produce,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { readLevels, waitForLevels } from './support/level-reader.js';

/** Per `index:sequence`, the constituents the offline engine gives the level record. */
async function offlineConstituents(datasetDir: string) {
  const byLevel = new Map<string, IndexLevelRecord['constituents']>();
  await replayDataset(datasetDir, {
    onLevel: (level) => byLevel.set(`${level.indexId}:${level.sequence}`, levelToRecord(level).constituents),
    engine: { rejectUnknownSymbols: true, contributions: 'moved' },
  });
  return byLevel;
}

const endpoints = serviceEndpoints;
const start = trackedCalculators();

describe('index-calculator on real Kafka, Apicurio and Redis', () => {
  it('publishes, byte for byte, the levels the offline replay computes for the same dataset', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...endpoints(), datasetDir });
    await produce(environment, datasetDir);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const conflatedReader = await readLevels(environment, environment.topics.indexLevelsConflated);
    const calculator = start({ ...environment.env, CONFLATION_INTERVAL_MS: '60000' });
    await waitForLevels(reader, expected.length, calculator, 120_000);
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await reader.stop();
    expect(sortRows(reader.records.map(recordAsRow))).toEqual(expected);
    // The constituents each live record carries (LEVEL_CONSTITUENTS=moved, the default) are the
    // engine's offline output for the same level, digit for digit.
    const offline = await offlineConstituents(datasetDir);
    expect(offline.size).toBe(expected.length);
    const live = new Map(reader.records.map((r) => [`${r.indexId}:${r.sequence}`, r.constituents]));
    expect(live).toEqual(offline);
    expect([...live.values()].some((c) => c !== null && c.length > 1)).toBe(true);
    const expectedConflated = conflateRows(expected, 60_000);
    await waitFor(() => conflatedReader.records.length >= expectedConflated.length, { timeoutMs: 30_000 });
    await conflatedReader.stop();
    expect(sortRows(conflatedReader.records.map(recordAsRow))).toEqual(expectedConflated);
  }, 180_000);
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('index-calculator with bad input', () => {
  it('dead-letters garbage, wrong-schema, non-positive, malformed and unknown-symbol records, counts them, and keeps the clean levels', async () => {
    const { createAvroSerdes } = await import('@indexflow/kafka');
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...endpoints(), datasetDir });
    const t0 = Date.parse('2025-03-20T09:25:00+08:00');
    const tickSerdes = createAvroSerdes<import('@indexflow/kafka').MarketTickRecord>(
      environment.registry,
      environment.topics.ticksAshare,
    );
    const fxSerdes = createAvroSerdes<import('@indexflow/kafka').FxRateRecord>(
      environment.registry,
      environment.topics.fx,
    );
    const tick = (symbol: string, lastPrice: string) =>
      tickSerdes.serialize({
        symbol,
        market: 'SH',
        currency: 'CNY',
        eventTime: t0,
        sequence: 1_000_000,
        lastPrice,
        volume: '0',
        turnover: '0',
        bidPrice: null,
        askPrice: null,
        tradingPhase: 'CONTINUOUS',
      });
    const producer = environment.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: environment.topics.ticksAshare,
      messages: [
        { key: '688041.SH', value: Buffer.from('not avro at all') },
        {
          key: '688041.SH',
          value: await fxSerdes.serialize({
            pair: 'HKDCNY',
            rate: '0.92',
            eventTime: t0,
            source: 'x',
            sequence: 1,
          }),
        },
        { key: '688041.SH', value: await tick('688041.SH', '-1.00') },
        { key: '688041.SH', value: await tick('688041.SH', 'abc') },
        { key: '600000.SH', value: await tick('600000.SH', '10.00') },
      ],
    });
    await producer.disconnect();
    await produce(environment, datasetDir);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const port = await freePort();
    const calculator = start({
      ...environment.env,
      HTTP_PORT: String(port),
      LAG_SAMPLE_MS: '200',
      REJECT_UNKNOWN_SYMBOLS: 'true',
    });
    await waitFor(() => reader.records.length >= expected.length, { timeoutMs: 120_000, intervalMs: 250 });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/indexflow_records_rejected_total\{reason="non_positive_price"\} 1\b/);
    expect(metrics).toMatch(/indexflow_records_rejected_total\{reason="malformed_price"\} 1\b/);
    expect(metrics).toMatch(/indexflow_records_rejected_total\{reason="unknown_symbol"\} 1\b/);
    expect(metrics).toMatch(/indexflow_levels_out_total \d+/);
    // Drained: the sampled lag of the tick topic has come down to zero.
    await waitFor(
      async () =>
        /indexflow_consumer_lag_records\{topic="[^"]*ticks\.ashare"\} 0\b/.test(
          await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        ),
      { timeoutMs: 20_000 },
    );
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await reader.stop();
    expect(sortRows(reader.records.map(recordAsRow))).toEqual(expected);

    // The dead-letter topic holds the original bytes with the reason in a header.
    const reasons: string[] = [];
    const consumer = environment.kafka.consumer({ groupId: uniqueName('dlq') });
    await consumer.connect();
    await consumer.subscribe({ topic: environment.topics.deadLetter, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        reasons.push(String(message.headers?.['indexflow-reject-reason']));
      },
    });
    await waitFor(() => reasons.length >= 5, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(reasons.sort()).toEqual([
      'malformed_price',
      'non_positive_price',
      'undecodable',
      'undecodable',
      'unknown_symbol',
    ]);
  }, 180_000);
});
