import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { LevelsCsvWriter, readIndexDefinitions } from '@indexflow/dataset-files';
import { type EngineOptions, IndexEngine } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  createEventSource,
  createSchemaRegistryClient,
  ensureTopics,
  type IndexLevelRecord,
  type KafkaClientName,
  kafkaSafeName,
  openTopicAdmin,
  openTransactionalProducer,
  recomputeClientIdPrefix,
  registerTopicSchemas,
  TOPICS,
  type TopicAdmin,
  type TopicKey,
  topicNames,
} from '@indexflow/kafka';
import { createPipelineStats, offsetKey, runPipeline } from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { BoundedEventSource } from './recompute-bounded-source.js';
import {
  RecomputeInputMissingError,
  RecomputeInterruptedError,
  RecomputeTargetError,
  RecomputeTruncatedInputError,
  RecomputeUnknownIndexError,
} from './recompute-errors.js';
import { RecomputeLevelSink } from './recompute-level-sink.js';
import { DiscardingStateStore } from './recompute-state-store.js';
import type { RecomputeWindow } from './recompute-window.js';

export interface RecomputeFromKafkaOptions {
  readonly brokers: string;
  /** Client of topic set-up, the source and the output transaction. */
  readonly client: KafkaClientName;
  readonly registryUrl: string;
  readonly topicPrefix: string;
  /** Where the window's levels go; default `<prefix>indexflow.index-levels.recompute`. */
  readonly outTopic?: string;
  /** Replay-format dataset directory with indices/*.json: the calculator's INDEX_DEFINITIONS_DIR. */
  readonly definitionsDir?: string;
  /** The calculator's engine options (REJECT_UNKNOWN_SYMBOLS, FX_MAX_AGE_MS): they shape levels too. */
  readonly engineOptions: EngineOptions;
  readonly window: RecomputeWindow;
  /** Also write the window's levels to this levels.csv (`-`: stdout). */
  readonly csvPath?: string;
  readonly progress: boolean;
  /** Aborting stops the run and aborts its transaction. */
  readonly signal?: AbortSignal;
  /** Records per pipeline batch. Default 2000. */
  readonly batchSize?: number;
}

export interface RecomputeSummary {
  readonly runId: string;
  readonly outTopic: string;
  readonly indices: number;
  readonly recordsRead: number;
  /** Events before --from: they only rebuilt the state. */
  readonly stateEvents: number;
  readonly windowEvents: number;
  readonly levels: number;
  readonly levelsByIndex: ReadonlyMap<string, number>;
  readonly rejectedByReason: ReadonlyMap<string, number>;
  /** Records stamped before --to by Kafka's time index (offsets by timestamp); null without --to. */
  readonly recordsBeforeToByTimestamp: number | null;
  readonly durationMs: number;
}

const INPUT_TOPICS = [
  'ticksAshare',
  'ticksHk',
  'fx',
  'indexAdjustments',
] as const satisfies readonly TopicKey[];

/** Refuses an output topic that any live component reads or writes, under any prefix. */
function checkOutTopic(outTopic: string, prefix: string): void {
  for (const [key, spec] of Object.entries(TOPICS) as [TopicKey, (typeof TOPICS)[TopicKey]][]) {
    if (key === 'indexLevelsRecompute') continue;
    if (outTopic === `${prefix}${spec.name}` || outTopic.endsWith(spec.name))
      throw new RecomputeTargetError({ topic: outTopic, role: spec.name });
  }
}

interface InputBounds {
  /** First offset per `topic:partition` (always 0: checked). */
  readonly start: Record<string, string>;
  /** High watermark per `topic:partition` when the run starts. */
  readonly end: Record<string, string>;
  /** Sum over partitions of records stamped before `to` (Kafka's time index); null without `to`. */
  readonly beforeTo: number | null;
}

/**
 * Reads each input partition's offsets. The rebuild starts at offset 0 of every partition (and
 * refuses partitions retention has cut), ends at most at today's high watermark, and uses
 * Kafka's offsets-by-timestamp for `to` to size the progress bar (see recomputeFromKafka).
 */
async function inputBounds(
  admin: TopicAdmin,
  topics: readonly string[],
  to: number | null,
): Promise<InputBounds> {
  const existing = new Set(await admin.listTopics());
  const start: Record<string, string> = {};
  const end: Record<string, string> = {};
  let beforeTo: number | null = to === null ? null : 0;
  for (const topic of topics) {
    if (!existing.has(topic)) throw new RecomputeInputMissingError({ topic });
    for (const { partition, low, high } of await admin.partitionOffsets(topic)) {
      if (low !== 0n) throw new RecomputeTruncatedInputError({ topic, partition, lowOffset: String(low) });
      start[offsetKey(topic, partition)] = String(low);
      end[offsetKey(topic, partition)] = String(high);
    }
    if (to !== null && beforeTo !== null) {
      for (const { offset } of await admin.offsetsForTime(topic, to)) beforeTo += Number(offset);
    }
  }
  return { start, end, beforeTo };
}

/**
 * `indexflow recompute`: rebuilds index levels from the input topics themselves and publishes the
 * levels of one event-time window to a separate topic.
 *
 * The state at --from (prices, divisors after corporate actions, FX, previous closes, sequence
 * numbers) depends on every earlier event, and the calculator's Redis snapshot holds only the
 * latest state. So the run starts a fresh engine at offset 0 of every input partition and applies
 * the whole history with the calculator's own code: the KafkaEventSource in canonical order, the
 * IndexEngine, and runPipeline. Only levels with eventTime in [from, to) are published; since the
 * engine is deterministic and starts where the calculator started, their level strings and
 * sequence numbers are the ones the calculator published (and the offline replay computes).
 *
 * The end: the run stops once the canonical merge releases an event at or after `to` (everything
 * earlier has then been applied), or when every partition reaches its high watermark of the
 * start. Kafka's offsets-by-timestamp for `to` are not used as the stop: record timestamps are
 * produce times, which a replayed or delayed feed sets long after the event time, so the offset
 * they give is only where the run must at least get to. They size the progress bar.
 */
export async function recomputeFromKafka(options: RecomputeFromKafkaOptions): Promise<RecomputeSummary> {
  const started = Date.now();
  const topics = topicNames(options.topicPrefix);
  const outTopic = options.outTopic ?? topics.indexLevelsRecompute;
  checkOutTopic(outTopic, options.topicPrefix);
  const definitions = readIndexDefinitions(options.definitionsDir ?? SAMPLE_DIR);
  const known = definitions.map((d) => d.id);
  const unknown = [...(options.window.indexIds ?? [])].filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new RecomputeUnknownIndexError({ indexIds: unknown, known });

  const runId = `${new Date(started).toISOString()}-${randomBytes(3).toString('hex')}`;
  const clientId = `${recomputeClientIdPrefix(options.topicPrefix)}${kafkaSafeName(runId)}`;
  const logger = pino({ level: 'warn', base: { component: 'recompute' } }, pino.destination(2));
  const registry = createSchemaRegistryClient({ url: options.registryUrl });
  const inputs = INPUT_TOPICS.map((key) => topics[key]);

  const admin = await openTopicAdmin({
    client: options.client,
    brokers: options.brokers.split(','),
    clientId,
    logger,
  });
  let bounds: InputBounds;
  try {
    bounds = await inputBounds(admin, inputs, options.window.to);
    await ensureTopics(admin, [{ ...TOPICS.indexLevelsRecompute, name: outTopic }]);
  } finally {
    await admin.close();
  }
  await registerTopicSchemas(registry, {
    topics: [{ name: outTopic, schema: TOPICS.indexLevelsRecompute.schema }],
  });

  const source = new BoundedEventSource(
    createEventSource({
      client: options.client,
      brokers: options.brokers.split(','),
      clientId,
      registry,
      // A group of its own, whose offsets are never committed: the live group is never moved.
      groupId: clientId,
      topics: inputs,
      ordering: 'canonical',
      logger,
    }),
    {
      from: options.window.from,
      to: options.window.to,
      startOffsets: bounds.start,
      endOffsets: bounds.end,
    },
  );
  // The whole window is one transaction; 10 min stays under the broker's default 15 min maximum.
  // Either client partitions by Java's murmur2: an index's levels land where a Java client's would.
  const producer = await openTransactionalProducer({
    client: options.client,
    brokers: options.brokers.split(','),
    clientId,
    transactionalId: clientId,
    transactionTimeoutMs: 600_000,
  });
  const toStdout = options.csvPath === '-';
  const csvPartial = options.csvPath === undefined || toStdout ? null : `${options.csvPath}.partial`;
  const csv = options.csvPath === undefined ? null : new LevelsCsvWriter(toStdout ? '-' : csvPartial!);
  const sink = new RecomputeLevelSink({
    producer,
    serdes: createAvroSerdes<IndexLevelRecord>(registry, outTopic),
    window: options.window,
    runId,
    ...(csv === null ? {} : { onLevel: (level) => csv.write(level) }),
  });

  const total =
    bounds.beforeTo !== null && bounds.beforeTo > 0
      ? bounds.beforeTo
      : Object.values(bounds.end).reduce((sum, high) => sum + Number(high), 0);
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format:
            'recompute [{bar}] {percentage}% | {value}/{total} records | {phase} {time} | {levels} levels | {rate}/s',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const progressPayload = () => {
    const time = source.latestEventTime;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return {
      phase: time !== null && time >= options.window.from ? 'window' : 'state before --from',
      time: time === null ? '' : `${new Date(time).toISOString().slice(0, 19)}Z`,
      levels: sink.published.total,
      rate: Math.round(source.recordsRead / seconds),
    };
  };
  bar?.start(total, 0, progressPayload());

  const stats = createPipelineStats();
  let completed = false;
  try {
    await source.start(null);
    await runPipeline({
      engine: new IndexEngine(definitions, options.engineOptions),
      source,
      sink,
      state: new DiscardingStateStore(),
      stats,
      logger,
      batchSize: options.batchSize ?? 2000,
      batchWaitMs: 20,
      startVersion: 0,
      alreadyPublished: null,
      isStopping: () => source.done || options.signal?.aborted === true,
      conflationIntervalMs: 0,
      onCommitted: () => {
        const read = source.recordsRead;
        if (bar !== null && read > bar.getTotal()) bar.setTotal(read);
        bar?.update(read, progressPayload());
      },
    });
    if (!source.done) throw new RecomputeInterruptedError({ levelsDiscarded: await sink.abort() });
    await sink.finish();
    completed = true;
  } catch (error) {
    await sink.abort().catch((abortError: unknown) => logger.error({ err: abortError }, 'abort failed'));
    throw error;
  } finally {
    bar?.stop();
    csv?.close();
    if (csvPartial !== null) {
      if (completed) renameSync(csvPartial, options.csvPath!);
      else rmSync(csvPartial, { force: true });
    }
    await source.close();
    await producer.close();
  }
  const counts = source.counts;
  return {
    runId,
    outTopic,
    indices: definitions.length,
    recordsRead: source.recordsRead,
    stateEvents: counts.stateEvents,
    windowEvents: counts.windowEvents,
    levels: sink.published.total,
    levelsByIndex: sink.published.byIndex,
    rejectedByReason: stats.rejectedByReason,
    recordsBeforeToByTimestamp: bounds.beforeTo,
    durationMs: Date.now() - started,
  };
}
