import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
  produce,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { expectGapFree, readLevels, waitForLevels } from './support/level-reader.js';

const endpoints = serviceEndpoints;
const start = trackedCalculators();

describe('index-calculator crash safety on real Kafka, Apicurio and Redis', () => {
  it('survives three SIGKILLs at random points of a ~200,000-tick day: no gap, no duplicate, same levels; the fast topic repeats only identical levels', async () => {
    const datasetDir = makeDataset('simulated-day');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...endpoints(), datasetDir });
    const ticks = await produce(environment, datasetDir);
    expect(ticks).toBeGreaterThan(150_000);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const fastReader = await readLevels(environment, environment.topics.indexLevelsFast);
    const env = { ...environment.env, FAST_LEVELS: 'true' };
    let calculator = start(env);
    const killPoints = [0.1 + Math.random() * 0.15, 0.35 + Math.random() * 0.15, 0.6 + Math.random() * 0.2];
    for (const fraction of killPoints) {
      await waitForLevels(reader, Math.floor(expected.length * fraction), calculator, 180_000);
      calculator.child.kill('SIGKILL');
      await calculator.exited;
      calculator = start(env);
    }
    await waitForLevels(reader, expected.length, calculator, 240_000);
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    // Anything published twice would arrive after the expected count: give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await reader.stop();
    await fastReader.stop();
    const rows = sortRows(reader.records.map(recordAsRow));
    expectGapFree(rows);
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
    // The fast topic is at least once: the kills made it repeat the levels computed after the last
    // commit, and every repeat is the same level, so dropping repeated sequences gives the same rows.
    const fastRows = fastReader.records.map(recordAsRow);
    expect(fastRows.length).toBeGreaterThanOrEqual(expected.length);
    const byKey = new Map<string, string>();
    for (const row of fastRows) {
      const [, index, , sequence] = row.split(',');
      const key = `${index}#${sequence}`;
      expect(byKey.get(key) ?? row, `fast level ${key}`).toBe(row);
      byKey.set(key, row);
    }
    expect(sortRows([...byKey.values()])).toEqual(expected);
  }, 600_000);

  it('rebuilds its state when Redis loses it mid-run, and still publishes the offline levels exactly once', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...endpoints(), datasetDir });
    await produce(environment, datasetDir);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const redis = new Redis(endpoints().redisUrl);
    const calculator = start({ ...environment.env, BATCH_SIZE: '200' });
    await waitForLevels(reader, Math.floor(expected.length / 3), calculator, 120_000);
    // A Redis restart without persistence: every connection dropped and the calculator's keys gone.
    const keys = await redis.keys(`${environment.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    await redis.client('KILL', 'TYPE', 'normal');
    // The version check refuses to write over the lost state, so the run fails, as designed; the
    // process recovers in-process, finds no snapshot and rebuilds from the input. It never exits.
    await waitForLevels(reader, expected.length, calculator, 120_000);
    expect(calculator.child.exitCode).toBeNull();
    expect(calculator.output()).toContain('recovering in-process from the last committed batch');
    calculator.child.kill('SIGTERM');
    await calculator.exited;
    expect(calculator.output()).toContain('rebuilding from the start of the input');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await reader.stop();
    redis.disconnect();
    const rows = sortRows(reader.records.map(recordAsRow));
    expectGapFree(rows);
    expect(rows).toEqual(expected);
  }, 300_000);
});
