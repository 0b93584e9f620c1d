import { TOPICS } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import {
  type CalculatorEnvironment,
  makeDataset,
  offlineRows,
  prepareEnvironment,
  produce,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import {
  type CalculatorProcess,
  serviceEndpoints,
  trackedCalculators,
} from './support/calculator-process.js';
import { expectGapFree, readLevels, waitForLevels } from './support/level-reader.js';
import { TopicReader } from './support/topic-reader.js';

const start = trackedCalculators();
/** The catalogue's shard-assignment topic has 12 partitions, so prepareEnvironment makes 12 shards. */
const SHARDS = TOPICS.calculatorShards.partitions;

/** The shards an instance last logged as assigned to it (its supervisor's whole assignment). */
function assignedShards(calculator: CalculatorProcess): number[] | null {
  let last: number[] | null = null;
  for (const line of calculator.output().split('\n')) {
    // The last line may still be arriving: only complete JSON lines count.
    if (!line.includes('"shards assigned"') || !line.trimEnd().endsWith('}')) continue;
    last = (JSON.parse(line) as { shards: number[] }).shards;
  }
  return last;
}

async function produceGarbage(environment: CalculatorEnvironment): Promise<void> {
  const producer = environment.kafka.producer();
  await producer.connect();
  await producer.send({
    topic: environment.topics.ticksAshare,
    messages: [{ key: '600000.SH', value: Buffer.from('not avro') }],
  });
  await producer.disconnect();
}

describe('sharded index-calculator on real Kafka, Apicurio and Redis', () => {
  it('three instances share 12 shards; one SIGKILLed mid-stream: levels equal the offline replay, no gap, no duplicate', async () => {
    const datasetDir = makeDataset('sample');
    const expected = await offlineRows(datasetDir);
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
    // Everything is in the topics before the instances start, as in the single calculator's
    // crash tests: input produced while a caught-up calculator idles would interleave partitions
    // out of event-time order, which the canonical merge cannot repair (it is not what this tests).
    await produceGarbage(environment);
    await produce(environment, datasetDir);
    const reader = await readLevels(environment, environment.topics.indexLevels);
    const deadLetters = await new TopicReader(
      environment.kafka,
      environment.registry,
      environment.topics.deadLetter,
      false,
    ).start();
    const env = {
      ...environment.env,
      SHARDS: String(SHARDS),
      // Small batches: many transactions per shard, so the kill lands mid-stream.
      BATCH_SIZE: '50',
      LOG_LEVEL: 'info',
      SHARD_SESSION_TIMEOUT_MS: '6000',
    };
    const instances = [start(env), start(env), start(env)];
    // Wait for the group to settle on three members (4 shards each), so the kill hits an owner.
    await waitFor(() => instances.every((p) => assignedShards(p)?.length === SHARDS / 3), {
      timeoutMs: 60_000,
      description: 'each instance assigned a third of the shards',
    });
    // 995366.SSI is in shard 0 (FNV-1a), which also writes the dead letter: kill its owner.
    const victim = instances.find((p) => assignedShards(p)?.includes(0))!;
    await waitForLevels(reader, Math.floor(expected.length / 3), victim, 60_000);
    victim.child.kill('SIGKILL');
    await victim.exited;
    expect(reader.records.length, 'the kill came mid-stream').toBeLessThan(expected.length);

    const survivors = instances.filter((p) => p !== victim);
    // On a timeout, the error shows every instance's last output.
    const everyOutput = { output: () => instances.map((p) => p.output().slice(-2000)).join('\n---\n') };
    await waitForLevels(reader, expected.length, everyOutput, 120_000);
    // Between them, the survivors take over every shard. Most of the 12 shards hold no seed index,
    // so the levels can be complete before the group has handed the victim's shards over.
    const allShards = Array.from({ length: SHARDS }, (_, s) => s);
    const takenOver = () => survivors.flatMap((p) => assignedShards(p) ?? []).sort((a, b) => a - b);
    await waitFor(() => JSON.stringify(takenOver()) === JSON.stringify(allShards), {
      timeoutMs: 60_000,
      description: 'the survivors own every shard',
    });
    expect(takenOver()).toEqual(allShards);
    for (const p of survivors) p.child.kill('SIGTERM');
    expect(await Promise.all(survivors.map((p) => p.exited))).toEqual([0, 0]);
    // Anything published twice would arrive after the expected count: give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await reader.stop();
    await deadLetters.stop();

    const rows = sortRows(reader.records.map(recordAsRow));
    expectGapFree(rows);
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
    // Twelve shards read the undecodable record; exactly one dead-lettered it.
    expect(deadLetters.records.map((r) => r.headers['indexflow-reject-reason']?.toString())).toEqual([
      'undecodable',
    ]);
  }, 240_000);
});
