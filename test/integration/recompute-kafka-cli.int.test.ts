import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLevelRow, LEVELS_CSV_HEADER, replayDataset } from '@indexflow/dataset-files';
import type { IndexLevel } from '@indexflow/index-engine';
import { createAvroSerdes, type IndexLevelRecord, levelToRecord } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import { RECOMPUTE_HEADERS } from '../../services/cli/src/kafka/recompute-level-sink.js';
import { makeDataset, prepareEnvironment, produce } from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';
import { CLI } from './support/entry-points.js';

// A window on the sample's second day: its levels depend on the whole first day (previous closes,
// divisors fixed at the first full pricing, the FX rate), so a rebuild that got the state wrong
// would show here.
const FROM = '2025-03-21T10:00:00+08:00';
const TO = '2025-03-21T10:05:00+08:00';
const INDICES = ['995365.SSI', '995367.SSI'];

function runCli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('indexflow recompute on real Kafka and Apicurio', () => {
  it('publishes exactly the offline replay’s levels of the window, rebuilt from the tick topics, and leaves the live topics alone', async () => {
    const datasetDir = makeDataset('sample');
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
    await produce(environment, datasetDir);

    const expected: IndexLevel[] = [];
    await replayDataset(datasetDir, {
      onLevel: (level) => {
        const inWindow = level.eventTime >= Date.parse(FROM) && level.eventTime < Date.parse(TO);
        if (inWindow && INDICES.includes(level.indexId)) expected.push(level);
      },
      // LEVEL_CONSTITUENTS defaults to moved, for recompute as for the calculator.
      engine: { rejectUnknownSymbols: true, contributions: 'moved' },
    });
    expect(new Set(expected.map((l) => l.indexId))).toEqual(new Set(INDICES));
    expect(expected.length).toBeGreaterThan(50);

    const csv = join(tmpdir(), `${uniqueName('recompute')}.csv`);
    const run = runCli(
      ['recompute', '--from', FROM, '--to', TO, '--index', ...INDICES, '--out', csv],
      environment.env,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `→ ${expected.length} levels of [2025-03-21T02:00:00.000Z, 2025-03-21T02:05:00.000Z)`,
    );

    // The CSV: the offline replay's rows of the window, byte for byte and in the same order.
    expect(readFileSync(csv, 'utf8')).toBe(
      `${[LEVELS_CSV_HEADER, ...expected.map(formatLevelRow)].join('\n')}\n`,
    );

    // The topic: per index, the very records the calculator would publish for these levels.
    const serdes = createAvroSerdes<IndexLevelRecord>(
      environment.registry,
      environment.topics.indexLevelsRecompute,
    );
    const received: { record: IndexLevelRecord; key: string; run: string }[] = [];
    const consumer = environment.kafka.consumer({
      groupId: uniqueName('recompute-check'),
      readUncommitted: false,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: environment.topics.indexLevelsRecompute, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          record: await serdes.deserialize(message.value as Buffer),
          key: message.key?.toString() ?? '',
          run: message.headers?.[RECOMPUTE_HEADERS.run]?.toString() ?? '',
        });
      },
    });
    await waitFor(() => received.length >= expected.length, { timeoutMs: 20_000 });
    await consumer.disconnect();
    expect(received.length).toBe(expected.length);
    for (const index of INDICES) {
      const got = received
        .filter((r) => r.record.indexId === index)
        .map((r) => r.record)
        .sort((a, b) => a.sequence - b.sequence);
      expect(got, index).toEqual(expected.filter((l) => l.indexId === index).map((l) => levelToRecord(l)));
    }
    expect(received.every((r) => r.key === r.record.indexId)).toBe(true);
    expect(new Set(received.map((r) => r.run)).size).toBe(1);
    expect(run.stderr).toContain(`(run ${received[0]!.run})`);

    // Nothing reached the live level, conflated or dead-letter topics.
    const admin = environment.kafka.admin();
    await admin.connect();
    for (const topic of [
      environment.topics.indexLevels,
      environment.topics.indexLevelsConflated,
      environment.topics.deadLetter,
    ]) {
      expect(
        (await admin.fetchTopicOffsets(topic)).map((p) => p.high),
        topic,
      ).toEqual((await admin.fetchTopicOffsets(topic)).map(() => '0'));
    }
    await admin.disconnect();

    // And it refuses the live index-level topic as its output, naming it.
    const refused = runCli(
      ['recompute', '--from', FROM, '--out-topic', environment.topics.indexLevels],
      environment.env,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `--out-topic ${environment.topics.indexLevels} is the indexflow.index-levels topic`,
    );
  }, 90_000);
});
