/**
 * Which stage of the calculator's path a CPU profile sample belongs to, from the source file (and
 * for a few files the function) of the frames on its stack.
 *
 * A sample is charged to the innermost frame that an owning rule matches: code of this project,
 * and the libraries that are a stage by themselves (ioredis is the Redis stage wherever it is
 * called from, pino is logging). Shared code is transparent: avsc, the Kafka client libraries and
 * the engine's number printing are charged to the project code that called them (avsc under a
 * decoder is Avro decoding, under the level encoder it is level encoding), and only with no owner
 * above to the innermost transparent frame's own stage (kafkajs decoding a fetch response, reached
 * from the event loop, is the Kafka client's). Frames no rule matches (node internals, V8
 * builtins, avsc's generated readers) are passed over.
 */
import type { CallFrame, StackClassifier } from './cpu-profile.js';

/** Stages in path order, with the label the bench prints. */
export const STAGE_LABELS = {
  kafkaConsume: 'Kafka consume: event source, client calls',
  avroDecode: 'Avro decode: avsc, record → event',
  merge: 'canonical merge (pipeline order/)',
  pipeline: 'pipeline loop: batches, conflation, offsets',
  engine: 'engine (index-engine)',
  levelEncode: 'level records and Avro encode',
  kafkaProduce: 'Kafka produce: sink, transactions, client calls',
  redis: 'Redis stage and promote (ioredis)',
  logMetrics: 'logging and metrics (pino, prom-client)',
  calculator: 'calculator wiring, adapter set-up',
  kafkaClient: 'Kafka client library from the event loop',
  gc: 'garbage collector (main thread)',
  program: '(program): native code outside JS (binding, V8 runtime)',
  other: 'other JS: node internals, tsx, registry client',
  idle: '(idle): main thread waiting',
} as const;

export type Stage = keyof typeof STAGE_LABELS;

interface StageRule {
  readonly stage: Stage;
  readonly url: RegExp;
  readonly functionName?: RegExp;
  /** Charged to the nearest owning frame above; to `stage` only when there is none. */
  readonly transparent?: true;
  /**
   * Matches only on a stack that also holds a frame of this function (anywhere): tsx leaves
   * arrow functions unnamed, so a file's anonymous helpers are told apart by their caller.
   */
  readonly within?: RegExp;
}

/**
 * Source files of a workspace package or service, `<pkg>/src/<path>`: a path ending in `/` is a
 * folder, no path is the whole package.
 */
function source(pkg: string, ...paths: string[]): RegExp {
  const names = paths.map((path) => (path.endsWith('/') ? path : `${path}\\.[cm]?[jt]s$`));
  const files = names.length === 0 ? '' : `(${names.join('|')})`;
  return new RegExp(`/(packages|services)/${pkg}/src/${files}`);
}

/** Files of npm packages (pnpm keeps each under `node_modules/<name>/`). */
function npm(...names: string[]): RegExp {
  return new RegExp(`/node_modules/(${names.join('|')})/`);
}

/** avro-serdes's decoding entry points (methods, so named): its anonymous helpers under them decode. */
const DECODE_METHODS = /^(deserializeKnown|deserialize)$/;

/** First match wins, frame by frame. */
const RULES: readonly StageRule[] = [
  { stage: 'avroDecode', url: source('kafka', 'avro-serdes'), within: DECODE_METHODS },
  { stage: 'avroDecode', url: source('kafka', 'record-mapping'), functionName: /RecordToEvent$/ },
  {
    stage: 'avroDecode',
    url: source('kafka', 'kafka-event-source'),
    functionName: /^(decoderOf|decoderFor)$/,
  },
  {
    stage: 'avroDecode',
    url: source('kafka', 'watermark-record', 'fx-rate-record', 'decode-rejection', 'schema-id-lookup'),
  },
  {
    stage: 'levelEncode',
    url: source(
      'kafka',
      'avro-serdes',
      'record-mapping',
      'level-transaction-messages',
      'scaled-level-text',
      'derived-messages',
      'level-size-guard',
      'dead-letter-message',
      'close-record',
    ),
  },
  {
    stage: 'kafkaConsume',
    url: source(
      'kafka',
      'native/native-event-source',
      'native/native-message-entries',
      'native/native-assignment-group',
      'native/native-record-reader',
      'kafka-event-source',
      'kafkajs-assignment-group',
      'kafkajs-record-reader',
    ),
  },
  { stage: 'logMetrics', url: source('kafka', 'kafkajs-log-bridge') },
  {
    stage: 'kafkaProduce',
    url: source('kafka', 'native/', 'kafka-level-sink', 'kafka-fast-level-publisher'),
  },
  {
    stage: 'kafkaProduce',
    url: source(
      'kafka',
      'kafkajs-record-producer',
      'concurrent-transactions',
      'fenced-failure',
      'produce-chunks',
      'cached-key-partitioner',
    ),
  },
  { stage: 'logMetrics', url: source('pipeline', 'pipeline-stats') },
  { stage: 'merge', url: source('pipeline', 'order/') },
  { stage: 'pipeline', url: source('pipeline') },
  {
    stage: 'engine',
    url: source('index-engine', 'plain-text', 'fixed-point', 'decimal', 'number-grammar', 'bounded-decimal'),
    transparent: true,
  },
  { stage: 'engine', url: source('index-engine') },
  { stage: 'engine', url: source('market-calendar'), transparent: true },
  { stage: 'engine', url: npm('decimal\\.js'), transparent: true },
  { stage: 'redis', url: source('redis-state') },
  {
    stage: 'redis',
    url: npm('ioredis', '@ioredis/[^/]+', 'redis-parser', 'redis-errors', 'denque', 'cluster-key-slot'),
  },
  { stage: 'logMetrics', url: source('observability') },
  { stage: 'logMetrics', url: source('index-calculator', 'calculator-metrics') },
  {
    stage: 'logMetrics',
    url: npm('pino', 'pino-[^/]+', 'sonic-boom', 'thread-stream', 'prom-client', 'tdigest', 'bintrees'),
  },
  { stage: 'calculator', url: source('index-calculator') },
  { stage: 'calculator', url: source('kafka') },
  { stage: 'avroDecode', url: npm('avsc'), transparent: true },
  {
    stage: 'kafkaClient',
    url: npm('@confluentinc/kafka-javascript', 'kafkajs', 'bindings'),
    transparent: true,
  },
];

/** Frames V8 adds for time not spent in a JS function. */
const SPECIAL_FRAMES: Readonly<Record<string, Stage>> = {
  '(garbage collector)': 'gc',
  '(program)': 'program',
  '(idle)': 'idle',
  '(root)': 'other',
};

function ruleFor(frame: CallFrame, stack: readonly CallFrame[]): StageRule | undefined {
  if (frame.url === '') return undefined;
  return RULES.find(
    (rule) =>
      rule.url.test(frame.url) &&
      (rule.functionName?.test(frame.functionName) ?? true) &&
      (rule.within === undefined || stack.some((other) => rule.within!.test(other.functionName))),
  );
}

export const classifyCalculatorStack: StackClassifier = (stack) => {
  const leaf = stack[0];
  if (leaf === undefined) return 'other';
  if (leaf.url === '' && leaf.functionName in SPECIAL_FRAMES) return SPECIAL_FRAMES[leaf.functionName]!;
  let fallback: Stage | undefined;
  for (const frame of stack) {
    const rule = ruleFor(frame, stack);
    if (rule === undefined) continue;
    if (rule.transparent !== true) return rule.stage;
    fallback ??= rule.stage;
  }
  return fallback ?? 'other';
};
