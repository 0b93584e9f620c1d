import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAvroSerdes, type IndexLevelRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { describe, expect, inject, it } from 'vitest';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';
import { CLI } from './support/entry-points.js';

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

/** Runs `indexflow subscribe <args>` until it printed `lines` JSON lines, then stops it. */
async function subscribe(
  env: Record<string, string>,
  args: string[],
  lines: number,
): Promise<IndexLevelRecord[]> {
  const child = spawn(process.execPath, [CLI, 'subscribe', '--format', 'json', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  try {
    await waitFor(() => out.trim().split('\n').filter(Boolean).length >= lines, {
      timeoutMs: 45_000,
      description: `subscribe printed ${lines} levels (stderr: ${err.slice(-500)})`,
    });
  } finally {
    child.kill('SIGTERM');
  }
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as IndexLevelRecord);
}

async function environmentWith(records: readonly { record: IndexLevelRecord; timestamp?: number }[]) {
  const environment = await prepareEnvironment({
    kafkaBrokers: inject('kafkaBrokers'),
    schemaRegistryUrl: inject('schemaRegistryUrl'),
    redisUrl: inject('redisUrl'),
    datasetDir: makeDataset('sample'),
  });
  const serdes = createAvroSerdes<IndexLevelRecord>(environment.registry, environment.topics.indexLevels);
  const producer = environment.kafka.producer();
  await producer.connect();
  await producer.send({
    topic: environment.topics.indexLevels,
    messages: await Promise.all(
      records.map(async ({ record, timestamp }) => ({
        key: record.indexId,
        value: await serdes.serialize(record),
        ...(timestamp === undefined ? {} : { timestamp: String(timestamp) }),
      })),
    ),
  });
  await producer.disconnect();
  return environment;
}

describe('indexflow subscribe on real Kafka and Apicurio', () => {
  it('prints the committed levels of the chosen index, decoded through the registry', async () => {
    const environment = await environmentWith(
      [
        level('995365.SSI', 1, '1001.5'),
        level('995366.SSI', 1, '999.25'),
        level('995365.SSI', 2, '1002.125'),
      ].map((record) => ({ record })),
    );
    const printed = await subscribe(environment.env, ['--from-beginning', '--index', '995365.SSI'], 2);
    expect(printed.map((r) => [r.indexId, r.sequence, r.level])).toEqual([
      ['995365.SSI', 1, '1001.5'],
      ['995365.SSI', 2, '1002.125'],
    ]);
  }, 90_000);

  it('--from starts at the first level published at or after that time (Kafka record time)', async () => {
    // Recent record times: older ones could fall to the topic's retention while the test runs.
    const at = Date.now() - 120_000;
    const environment = await environmentWith([
      { record: level('995365.SSI', 1, '1001.5'), timestamp: at - 60_000 },
      { record: level('995365.SSI', 2, '1002.125'), timestamp: at },
      { record: level('995365.SSI', 3, '1003'), timestamp: at + 60_000 },
    ]);
    const printed = await subscribe(environment.env, ['--from', new Date(at).toISOString()], 2);
    expect(printed.map((r) => r.sequence)).toEqual([2, 3]);
  }, 90_000);
});
