import type { IndexCloseRecord } from './close-record.js';
import { UnknownSymbolSuffixError } from './kafka-errors.js';
import type {
  CorporateActionRecord,
  FxRateRecord,
  IndexAdjustmentRecord,
  IndexLevelRecord,
  MarketTickRecord,
} from './record-types.js';
import type { SchemaName } from './schema-files.js';

// Mirrors the topics table in schemas/README.md; topics.test.ts fails when they disagree.

/** Maps each schema to the TypeScript type of its record. */
export interface RecordBySchema {
  'market-tick': MarketTickRecord;
  'fx-rate': FxRateRecord;
  'corporate-action': CorporateActionRecord;
  'index-adjustment': IndexAdjustmentRecord;
  'index-level': IndexLevelRecord;
  'index-close': IndexCloseRecord;
}

export type CleanupPolicy = 'delete' | 'compact';

/** What a topic carries and how it is keyed and partitioned. */
export interface TopicSpec<S extends SchemaName | null = SchemaName | null> {
  readonly name: string;
  /** Record field used as the Kafka key (or a description when the key is copied from elsewhere). */
  readonly keyField: string;
  /** Value schema; null when the value is not Avro of our own (the dead-letter topic). */
  readonly schema: S;
  readonly partitions: number;
  readonly cleanupPolicy: CleanupPolicy;
}

export const TOPICS = {
  ticksAshare: {
    name: 'indexflow.ticks.ashare',
    keyField: 'symbol',
    schema: 'market-tick',
    partitions: 6,
    cleanupPolicy: 'delete',
  },
  ticksHk: {
    name: 'indexflow.ticks.hk',
    keyField: 'symbol',
    schema: 'market-tick',
    partitions: 3,
    cleanupPolicy: 'delete',
  },
  fxRaw: {
    name: 'indexflow.fx.raw',
    keyField: 'pair',
    schema: 'fx-rate',
    partitions: 1,
    cleanupPolicy: 'delete',
  },
  fx: { name: 'indexflow.fx', keyField: 'pair', schema: 'fx-rate', partitions: 1, cleanupPolicy: 'delete' },
  corporateActions: {
    name: 'indexflow.corporate-actions',
    keyField: 'actionId',
    schema: 'corporate-action',
    partitions: 1,
    cleanupPolicy: 'compact',
  },
  indexAdjustments: {
    name: 'indexflow.index-adjustments',
    keyField: 'indexId',
    schema: 'index-adjustment',
    partitions: 1,
    cleanupPolicy: 'delete',
  },
  indexLevels: {
    name: 'indexflow.index-levels',
    keyField: 'indexId',
    schema: 'index-level',
    partitions: 3,
    cleanupPolicy: 'delete',
  },
  indexLevelsConflated: {
    name: 'indexflow.index-levels.conflated',
    keyField: 'indexId',
    schema: 'index-level',
    partitions: 3,
    cleanupPolicy: 'delete',
  },
  indexLevelsFast: {
    name: 'indexflow.index-levels.fast',
    keyField: 'indexId',
    schema: 'index-level',
    partitions: 3,
    cleanupPolicy: 'delete',
  },
  indexLevelsRecompute: {
    name: 'indexflow.index-levels.recompute',
    keyField: 'indexId',
    schema: 'index-level',
    partitions: 3,
    cleanupPolicy: 'delete',
  },
  indexCloses: {
    name: 'indexflow.index-closes',
    keyField: 'indexId:tradingDate',
    schema: 'index-close',
    partitions: 1,
    cleanupPolicy: 'compact',
  },
  deadLetter: {
    name: 'indexflow.dead-letter',
    keyField: 'original key',
    schema: null,
    partitions: 1,
    cleanupPolicy: 'delete',
  },
  // Carries no records: its partitions are the calculator's shards, and the consumer group's
  // assignment of them decides which instance runs which shard. Partition count = SHARDS.
  calculatorShards: {
    name: 'indexflow.calculator-shards',
    keyField: 'none',
    schema: null,
    partitions: 12,
    cleanupPolicy: 'delete',
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicKey]['name'];

/** Every topic spec, in the order of the README table. */
export const ALL_TOPICS: readonly TopicSpec[] = Object.values(TOPICS);

/** Topics whose values are Avro records described by schemas/*.avsc. */
export const AVRO_TOPICS: readonly TopicSpec<SchemaName>[] = ALL_TOPICS.filter(
  (topic): topic is TopicSpec<SchemaName> => topic.schema !== null,
);

/** Headers on a dead-letter record; the value and key are the original bytes. */
export const DEAD_LETTER_HEADERS = {
  rejectReason: 'indexflow-reject-reason',
  sourceTopic: 'indexflow-source-topic',
  sourcePartition: 'indexflow-source-partition',
  sourceOffset: 'indexflow-source-offset',
} as const;

/** Returns the Schema Registry subject of a topic's values (TopicNameStrategy). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** Returns the tick topic for a symbol by its exchange suffix: .SH/.SZ → A-share, .HK → HK. */
export function tickTopicForSymbol(symbol: string): TopicName {
  const suffix = symbol.slice(symbol.lastIndexOf('.') + 1);
  switch (suffix) {
    case 'SH':
    case 'SZ':
      return TOPICS.ticksAshare.name;
    case 'HK':
      return TOPICS.ticksHk.name;
    default:
      throw new UnknownSymbolSuffixError({ symbol });
  }
}

export function tickKey(tick: Pick<MarketTickRecord, 'symbol'>): string {
  return tick.symbol;
}

export function fxRateKey(rate: Pick<FxRateRecord, 'pair'>): string {
  return rate.pair;
}

export function corporateActionKey(action: Pick<CorporateActionRecord, 'actionId'>): string {
  return action.actionId;
}

export function indexAdjustmentKey(adjustment: Pick<IndexAdjustmentRecord, 'indexId'>): string {
  return adjustment.indexId;
}

export function indexLevelKey(level: Pick<IndexLevelRecord, 'indexId'>): string {
  return level.indexId;
}
