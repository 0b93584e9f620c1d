import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Dec, formatFixed } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  createRecordReader,
  createSchemaRegistryClient,
  type IndexCloseRecord,
  type IndexLevelRecord,
  kafkaClientFromEnv,
  openTopicAdmin,
  type RecordBatch,
  type RecordClientOptions,
  requireCloseRecord,
  type TopicAdmin,
  topicNames,
} from '@indexflow/kafka';
import { publishDatasetActions } from './dataset-actions.js';
import type { BoardLevel } from './live-board.js';
import { followTopic, type TopicFollower } from './topic-follower.js';

const CLI = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
const CALCULATOR = fileURLToPath(new URL('../../index-calculator/src/main.ts', import.meta.url));

export interface RealServices {
  readonly KAFKA_BROKERS: string;
  readonly SCHEMA_REGISTRY_URL: string;
  readonly REDIS_URL: string;
}

/** A decoded level as the board and the levels CSV use it. */
export interface ReceivedLevel extends BoardLevel {
  readonly row: string;
}

function toReceived(record: IndexLevelRecord): ReceivedLevel {
  const level = new Dec(record.level);
  return {
    indexId: record.indexId,
    eventTime: record.eventTime,
    sequence: record.sequence,
    level,
    prevClose: record.prevClose === null ? null : new Dec(record.prevClose),
    row: [
      new Date(record.eventTime).toISOString(),
      record.indexId,
      formatFixed(level, 10),
      record.sequence,
      record.trigger.toLowerCase().replace('_', '-'),
      record.triggerSymbol ?? '',
    ].join(','),
  };
}

/** True while the group's committed offsets trail any input partition's high watermark. */
async function isBehind(admin: TopicAdmin, groupId: string, inputs: readonly string[]): Promise<boolean> {
  const committed = await admin.committedOffsets(groupId, inputs);
  for (const topic of inputs) {
    const high = new Map((await admin.partitionOffsets(topic)).map((p) => [p.partition, p.high]));
    for (const [partition, end] of high) {
      const at = committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? -1n;
      if ((at < 0n ? 0n : at) < end) return true;
    }
  }
  return false;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/**
 * The same day on real services: the calculator runs as its own process (as deployed), the
 * dataset is produced to the tick topics at `speed` by `indexflow replay --kafka`, and the levels
 * and official closes come back from the index-level and index-closes topics as a desk reads
 * them (read_committed).
 */
export async function runOnRealServices(options: {
  services: RealServices;
  datasetDir: string;
  speed: string;
  topicPrefix: string;
  onLevels: (levels: readonly ReceivedLevel[]) => void;
  onCloses: (closes: readonly IndexCloseRecord[]) => void;
  log: (line: string) => void;
}): Promise<void> {
  const env = { ...process.env, ...options.services, TOPIC_PREFIX: options.topicPrefix };
  const topics = topicNames(options.topicPrefix);
  // The board reads on the client the services use (KAFKA_CLIENT, native by default).
  const clientOptions: RecordClientOptions = {
    client: kafkaClientFromEnv(env),
    brokers: options.services.KAFKA_BROKERS.split(','),
    clientId: 'indexflow-embedded',
  };
  const registry = createSchemaRegistryClient({ url: options.services.SCHEMA_REGISTRY_URL });
  const serdes = createAvroSerdes<IndexLevelRecord>(registry, topics.indexLevels);
  const closeSerdes = createAvroSerdes<IndexCloseRecord>(registry, topics.indexCloses);
  // Before the calculator: its adjustments must be on their topic before the ticks of their date.
  const actionsService = await publishDatasetActions(options.datasetDir, env, options.log);
  const calculator = spawn(process.execPath, ['--import', 'tsx', CALCULATOR], {
    env: {
      ...env,
      CALCULATOR_ID: 'embedded',
      INDEX_DEFINITIONS_DIR: options.datasetDir,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The calculator's last log line counts the levels it published: the board waits for them all.
  let published: number | null = null;
  let pendingLine = '';
  calculator.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pendingLine + chunk.toString('utf8')).split('\n');
    pendingLine = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"msg":"stopped"')) continue;
      const stats = (JSON.parse(line) as { stats?: { levelsOut?: number } }).stats;
      if (typeof stats?.levelsOut === 'number') published = stats.levelsOut;
    }
  });
  const calculatorExit = exited(calculator);
  // The producer creates the topics and registers the schemas; the consumer starts once they exist.
  const producer = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'replay', options.datasetDir, '--kafka', '--speed', options.speed, '--quiet'],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const producerExit = exited(producer);
  const reader = createRecordReader(clientOptions);
  const closesReader = createRecordReader(clientOptions);
  let admin: TopicAdmin | null = null;
  let received = 0;
  try {
    admin = await openTopicAdmin(clientOptions);
    for (;;) {
      const existing = await admin.listTopics();
      if (existing.includes(topics.indexLevels) && existing.includes(topics.indexCloses)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const closes: TopicFollower = await followTopic(
      closesReader,
      admin,
      topics.indexCloses,
      async (values) => {
        const records: IndexCloseRecord[] = [];
        for (const value of values) records.push(requireCloseRecord(await closeSerdes.deserialize(value)));
        options.onCloses(records);
      },
    );
    const starts = (await admin.partitionOffsets(topics.indexLevels)).map(({ partition, low }) => ({
      topic: topics.indexLevels,
      partition,
      offset: low,
    }));
    await reader.readFrom(starts, async (batch: RecordBatch) => {
      const levels: ReceivedLevel[] = [];
      for (const record of batch.records) {
        if (record.value !== null) levels.push(toReceived(await serdes.deserialize(record.value)));
      }
      if (levels.length > 0) {
        received += levels.length;
        options.onLevels(levels);
      }
    });
    const producedCode = await producerExit;
    if (producedCode !== 0) throw new Error(`indexflow replay --kafka exited with ${producedCode}`);
    options.log('embedded: all ticks produced; waiting for the calculator to drain');
    // Drained when the calculator's group has committed every input record (its transactions
    // commit offsets with the levels); then it is stopped and reports how many levels it published.
    const inputs = [topics.ticksAshare, topics.ticksHk, topics.fx, topics.indexAdjustments];
    const groupId = `indexflow-calculator-${options.topicPrefix}embedded`;
    for (;;) {
      const behind = await isBehind(admin, groupId, inputs);
      if (!behind) break;
      if (
        (await Promise.race([calculatorExit, new Promise((r) => setTimeout(() => r('running'), 250))])) !==
        'running'
      ) {
        throw new Error('the calculator stopped before draining the input');
      }
    }
    calculator.kill('SIGTERM');
    await calculatorExit;
    const expected: number | null = published;
    if (expected === null) throw new Error('the calculator did not report how many levels it published');
    const deadline = Date.now() + 60_000;
    while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (received < expected)
      throw new Error(`read ${received} of the ${expected} levels the calculator published`);
    // The calculator is stopped: the closes topic's end is final, and read once reached.
    while (!(await closes.atEnd()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!(await closes.atEnd())) throw new Error('did not read the index-closes topic to its end');
  } finally {
    calculator.kill('SIGTERM');
    producer.kill('SIGTERM');
    await calculatorExit;
    actionsService?.kill('SIGTERM');
    if (actionsService) await exited(actionsService);
    await reader.close();
    await closesReader.close();
    await admin?.close();
  }
}
