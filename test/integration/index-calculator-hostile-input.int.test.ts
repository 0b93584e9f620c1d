// Issue 17, live half: no input record can hang, crash-loop or bend the calculator. Hostile
// records are produced before and between the sample day's good ticks while the calculator runs;
// each must land in the dead-letter topic with a reason and a bounded size, the process must
// never exit, and the levels (read_committed) must equal the offline replay of the clean day.
import { createHash } from 'node:crypto';
import {
  DEAD_LETTER_BOUNDS,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_LENGTH_HEADER,
  DEAD_LETTER_SHA256_HEADER,
} from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { describe, expect, it } from 'vitest';
import {
  type CalculatorEnvironment,
  makeDataset,
  offlineRows,
  prepareEnvironment,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import {
  type HostileRecord,
  middleReasons,
  numericExtremesCorpus,
  type ProducedHostile,
  produceHostile,
  transportAndShapeCorpus,
} from './support/hostile-corpus.js';
import { produceDatasetWith } from './support/interleaved-produce.js';
import { readLevels, waitForLevels } from './support/level-reader.js';
import { TopicReader } from './support/topic-reader.js';

const start = trackedCalculators();

const headerText = (headers: Record<string, unknown>, name: string) =>
  headers[name] === undefined ? undefined : String(headers[name]);

/** Checks each hostile record's dead letter: reason, provenance, bounded size, length and hash. */
function expectDeadLetters(
  hostile: readonly ProducedHostile[],
  letters: TopicReader<unknown>['records'],
): void {
  const bySource = new Map(
    letters.map((l) => [
      `${headerText(l.headers, DEAD_LETTER_HEADERS.sourceTopic)}:${headerText(l.headers, DEAD_LETTER_HEADERS.sourcePartition)}@${headerText(l.headers, DEAD_LETTER_HEADERS.sourceOffset)}`,
      l,
    ]),
  );
  for (const record of hostile) {
    const letter = bySource.get(`${record.topic}:${record.partition}@${record.offset}`);
    expect(letter, `dead letter of "${record.name}"`).toBeDefined();
    const headers = letter!.headers;
    const reason = headerText(headers, DEAD_LETTER_HEADERS.rejectReason);
    if (record.reason === null) expect(reason, record.name).toMatch(/^[a-z_]{3,64}$/);
    else expect(reason, record.name).toBe(record.reason);
    expect(headerText(headers, DEAD_LETTER_DETAIL_HEADER)!.length, record.name).toBeLessThanOrEqual(
      DEAD_LETTER_BOUNDS.detailChars,
    );
    if (record.value === null) {
      expect(letter!.raw).toBeNull();
      continue;
    }
    expect(letter!.raw, record.name).toEqual(record.value.subarray(0, DEAD_LETTER_BOUNDS.valueBytes));
    expect(headerText(headers, DEAD_LETTER_LENGTH_HEADER)).toBe(String(record.value.length));
    expect(headerText(headers, DEAD_LETTER_SHA256_HEADER)).toBe(
      createHash('sha256').update(record.value).digest('hex'),
    );
    expect(Buffer.byteLength(letter!.key ?? ''), record.name).toBeLessThanOrEqual(
      DEAD_LETTER_BOUNDS.keyBytes,
    );
  }
  expect(letters.length).toBe(hostile.length);
}

/** Runs the calculator over the sample day with `hostile` records before and between its ticks. */
async function runWithHostileInput(corpus: (env: CalculatorEnvironment) => Promise<HostileRecord[]>) {
  const datasetDir = makeDataset('sample');
  const expected = await offlineRows(datasetDir);
  const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
  const levels = await readLevels(environment, environment.topics.indexLevels);
  const letters = await new TopicReader<unknown>(
    environment.kafka,
    environment.registry,
    environment.topics.deadLetter,
    false,
  ).start();
  // Explicit: symbols in no index are refused here (the empty and huge symbols must be too).
  const calculator = start({ ...environment.env, REJECT_UNKNOWN_SYMBOLS: 'true' });
  const records = await corpus(environment);
  const half = Math.ceil(records.length / 2);
  const producer = environment.kafka.producer();
  await producer.connect();
  const before = await produceHostile(producer, records.slice(0, half));
  await producer.disconnect();
  const middle = await produceDatasetWith(environment, datasetDir, 3, (real) =>
    produceHostile(real, middleReasons(records.slice(half))),
  );
  const hostile = [...before, ...middle];
  expect(hostile.length).toBe(records.length);

  await waitForLevels(levels, expected.length, calculator, 150_000);
  await waitFor(() => letters.records.length >= hostile.length, { timeoutMs: 60_000 });
  // Never exited, so never restarted: the same process took every record.
  expect(calculator.child.exitCode).toBeNull();
  expect(calculator.output()).not.toMatch(/calculator failed/);
  calculator.child.kill('SIGTERM');
  expect(await calculator.exited).toBe(0);
  await levels.stop();
  await letters.stop();
  expect(sortRows(levels.records.map(recordAsRow))).toEqual(expected);
  expectDeadLetters(hostile, letters.records);
}

describe('index-calculator with hostile input on real Kafka', () => {
  it('dead-letters garbage, unknown schema ids, 600 KB values and refused values, bounded, without exiting, and keeps the clean levels', async () => {
    await runWithHostileInput(transportAndShapeCorpus);
  }, 300_000);

  it('refuses numeric extremes (1e50000000, 1e309, a 500-digit and a 600 KB price, FX 1e309) and never applies them', async () => {
    await runWithHostileInput(numericExtremesCorpus);
  }, 300_000);
});
