import { uniqueName, waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CalculatorProcess, startCalculator } from './support/calculator-process.js';
import {
  makeDataset,
  offlineRows,
  prepareEnvironment,
  produce,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { LevelReader } from './support/level-reader.js';

const endpoints = () => ({
  kafkaBrokers: inject('kafkaBrokers'),
  schemaRegistryUrl: inject('schemaRegistryUrl'),
  redisUrl: inject('redisUrl'),
});

const running: CalculatorProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

describe('index-calculator on real Kafka, Apicurio and Redis', () => {
  it('publishes, byte for byte, the levels the offline replay computes for the same dataset', async () => {
    const datasetDir = makeDataset('sample');
    const expected = offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...endpoints(), datasetDir });
    await produce(environment, datasetDir);
    const reader = new LevelReader(environment.kafka, environment.registry, environment.topics.indexLevels, uniqueName('desk'));
    await reader.start();
    const calculator = startCalculator(environment.env);
    running.push(calculator);
    try {
      await waitFor(() => reader.records.length >= expected.length, { timeoutMs: 120_000, intervalMs: 250 });
    } catch (error) {
      throw new Error(`${(error as Error).message}; levels so far ${reader.records.length}/${expected.length}; calculator output:\n${calculator.output()}`);
    }
    calculator.child.kill('SIGTERM');
    expect(await calculator.exited).toBe(0);
    await reader.stop();
    expect(sortRows(reader.records.map(recordAsRow))).toEqual(expected);
  }, 180_000);
});
