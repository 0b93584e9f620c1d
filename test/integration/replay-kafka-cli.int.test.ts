import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAvroSerdes, type MarketTickRecord } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { describe, expect, inject, it } from 'vitest';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';

const CLI = fileURLToPath(new URL('../../services/cli/src/main.ts', import.meta.url));

describe('indexflow replay --kafka on real Kafka and Apicurio', () => {
  it('produces a window of the dataset’s ticks, keyed by symbol, in per-symbol order with gap-free sequences', async () => {
    const datasetDir = makeDataset('sample');
    const environment = await prepareEnvironment({
      kafkaBrokers: inject('kafkaBrokers'),
      schemaRegistryUrl: inject('schemaRegistryUrl'),
      redisUrl: inject('redisUrl'),
      datasetDir,
    });
    const from = '2025-03-20T10:00:00+08:00';
    const to = '2025-03-20T10:30:00+08:00';
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI, 'replay', datasetDir, '--kafka', '--from', from, '--to', to],
      {
        env: { ...process.env, ...environment.env },
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const stderr = run.stderr;
    const rows = readFileSync(join(datasetDir, 'ticks.csv'), 'utf8').trim().split('\n').slice(1);
    const expected = rows
      .map((row) => row.split(','))
      .filter(([ts]) => Date.parse(ts!) >= Date.parse(from) && Date.parse(ts!) < Date.parse(to));
    expect(expected.length).toBeGreaterThan(100);

    const serdes = createAvroSerdes<MarketTickRecord>(environment.registry, environment.topics.ticksAshare);
    const hkSerdes = createAvroSerdes<MarketTickRecord>(environment.registry, environment.topics.ticksHk);
    const received: MarketTickRecord[] = [];
    const consumer = environment.kafka.consumer({ groupId: uniqueName('check') });
    await consumer.connect();
    await consumer.subscribe({
      topics: [environment.topics.ticksAshare, environment.topics.ticksHk],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const tick = await (topic === environment.topics.ticksHk ? hkSerdes : serdes).deserialize(
          message.value as Buffer,
        );
        expect(message.key?.toString()).toBe(tick.symbol);
        received.push(tick);
      },
    });
    await waitFor(() => received.length >= expected.length, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(received.length).toBe(expected.length);
    const bySymbol = new Map<string, MarketTickRecord[]>();
    for (const tick of received) bySymbol.set(tick.symbol, [...(bySymbol.get(tick.symbol) ?? []), tick]);
    for (const [symbol, ticks] of bySymbol) {
      const sorted = [...ticks].sort((a, b) => a.sequence - b.sequence);
      expect(
        sorted.map((t) => t.sequence),
        symbol,
      ).toEqual(sorted.map((_, i) => i + 1));
      const times = sorted.map((t) => t.eventTime);
      expect(times, symbol).toEqual([...times].sort((a, b) => a - b));
      const csvPrices = expected.filter(([, s]) => s === symbol).map(([, , p]) => p);
      expect(
        sorted.map((t) => t.lastPrice),
        symbol,
      ).toEqual(csvPrices);
    }
    expect(stderr).toMatch(new RegExp(`replay → kafka: ${expected.length} ticks`));
  }, 90_000);
});
