import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAvroSerdes, type IndexLevelRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { describe, expect, inject, it } from 'vitest';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';

const CLI = fileURLToPath(new URL('../../services/cli/src/main.ts', import.meta.url));

const level = (indexId: string, sequence: number, value: string): IndexLevelRecord => ({
  indexId,
  currency: 'CNY',
  eventTime: Date.parse('2025-03-20T10:00:00+08:00') + sequence * 1000,
  sequence,
  trigger: 'TICK',
  triggerSymbol: '0700.HK',
  level: value,
  prevClose: '1000',
  change: String(Number(value) - 1000),
  changePercent: '0.1',
  open: '1000',
  high: value,
  low: '1000',
  divisor: '1000000',
  marketValue: '1000000000',
  totalReturnLevel: null,
  netTotalReturnLevel: null,
  fxObservation: null,
  stale: false,
  constituents: null,
});

describe('indexflow subscribe on real Kafka and Apicurio', () => {
  it('prints the committed levels of the chosen index, decoded through the registry', async () => {
    const environment = await prepareEnvironment({
      kafkaBrokers: inject('kafkaBrokers'),
      schemaRegistryUrl: inject('schemaRegistryUrl'),
      redisUrl: inject('redisUrl'),
      datasetDir: makeDataset('sample'),
    });
    const serdes = createAvroSerdes<IndexLevelRecord>(environment.registry, environment.topics.indexLevels);
    const producer = environment.kafka.producer();
    await producer.connect();
    const records = [
      level('995365.SSI', 1, '1001.5'),
      level('995366.SSI', 1, '999.25'),
      level('995365.SSI', 2, '1002.125'),
    ];
    await producer.send({
      topic: environment.topics.indexLevels,
      messages: await Promise.all(
        records.map(async (r) => ({ key: r.indexId, value: await serdes.serialize(r) })),
      ),
    });
    await producer.disconnect();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'subscribe', '--from-beginning', '--format', 'json', '--index', '995365.SSI'],
      {
        env: { ...process.env, ...environment.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    try {
      await waitFor(() => out.trim().split('\n').filter(Boolean).length >= 2, { timeoutMs: 45_000 });
    } finally {
      child.kill('SIGTERM');
    }
    const printed = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as IndexLevelRecord);
    expect(printed.map((r) => [r.indexId, r.sequence, r.level])).toEqual([
      ['995365.SSI', 1, '1001.5'],
      ['995365.SSI', 2, '1002.125'],
    ]);
  }, 90_000);
});
