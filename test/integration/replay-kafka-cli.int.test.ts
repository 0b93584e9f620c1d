import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAvroSerdes, type MarketTickRecord, readWatermark, type Watermark } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { describe, expect, inject, it } from 'vitest';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';
import { CLI } from './support/entry-points.js';

describe('indexflow replay --kafka on real Kafka and Apicurio', () => {
  it('produces a window of the dataset’s ticks, keyed by symbol, in per-symbol order with data-derived sequences, and closes every partition with a final watermark', async () => {
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
      [CLI, 'replay', datasetDir, '--kafka', '--from', from, '--to', to],
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
    const watermarks = new Map<string, Watermark[]>();
    const consumer = environment.kafka.consumer({ groupId: uniqueName('check') });
    await consumer.connect();
    await consumer.subscribe({
      topics: [environment.topics.ticksAshare, environment.topics.ticksHk],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const mark = readWatermark(message.headers);
        if (mark.kind === 'watermark') {
          const key = `${topic}:${partition}`;
          watermarks.set(key, [...(watermarks.get(key) ?? []), mark.watermark]);
          return;
        }
        const tick = await (topic === environment.topics.ticksHk ? hkSerdes : serdes).deserialize(
          message.value as Buffer,
        );
        expect(message.key?.toString()).toBe(tick.symbol);
        received.push(tick);
      },
    });
    // Six A-share and three HK partitions: each starts at `from` and ends with a final `to`.
    const ended = () => [...watermarks.values()].filter((marks) => marks.at(-1)?.final === true).length;
    await waitFor(() => received.length >= expected.length && ended() === 9, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(received.length).toBe(expected.length);
    const bySymbol = new Map<string, MarketTickRecord[]>();
    for (const tick of received) bySymbol.set(tick.symbol, [...(bySymbol.get(tick.symbol) ?? []), tick]);
    for (const [symbol, ticks] of bySymbol) {
      const sorted = [...ticks].sort((a, b) => a.sequence - b.sequence);
      // The same tick gets the same number whichever slice produced it: event time × 1000 + rank.
      const ranks = new Map<number, number>();
      expect(
        sorted.map((t) => t.sequence),
        symbol,
      ).toEqual(
        sorted.map((t) => {
          const rank = ranks.get(t.eventTime) ?? 0;
          ranks.set(t.eventTime, rank + 1);
          return t.eventTime * 1000 + rank;
        }),
      );
      const times = sorted.map((t) => t.eventTime);
      expect(times, symbol).toEqual([...times].sort((a, b) => a - b));
      const csvPrices = expected.filter(([, s]) => s === symbol).map(([, , p]) => p);
      expect(
        sorted.map((t) => t.lastPrice),
        symbol,
      ).toEqual(csvPrices);
    }
    for (const [partition, marks] of watermarks) {
      expect(marks[0], partition).toEqual({ time: Date.parse(from), final: false });
      expect(marks.at(-1), partition).toEqual({ time: Date.parse(to), final: true });
      const times = marks.map((mark) => mark.time);
      expect(times, partition).toEqual([...times].sort((a, b) => a - b));
    }
    expect(stderr).toMatch(new RegExp(`replay → kafka: ${expected.length} ticks`));
  }, 90_000);
});
