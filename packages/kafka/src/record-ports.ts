// Client-neutral ports for the commands and services that only produce or read plain records
// (replay --kafka, subscribe, the gateway's feed, recompute's output): each Kafka client has an
// adapter behind them, and record-clients.ts picks one by KAFKA_CLIENT.

/** Header values as both clients hand them over (strings are sent as UTF-8). */
export type RecordHeaders = Readonly<Record<string, string | Buffer>>;

export interface ProducedRecord {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer | null;
  /** Omitted: the key's partition (murmur2, as Java's and kafkajs's default partitioner). */
  readonly partition?: number;
  readonly headers?: RecordHeaders;
}

/** An idempotent producer outside transactions. */
export interface RecordProducer {
  /** Resolves once every record (and every earlier one) is acknowledged by the brokers. */
  send(records: readonly ProducedRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** One open transaction of a transactional producer. */
export interface RecordTransaction {
  send(records: readonly ProducedRecord[]): Promise<void>;
  /** Makes every record sent in it visible to read_committed readers at once. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionalRecordProducer {
  begin(): Promise<RecordTransaction>;
  close(): Promise<void>;
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders | undefined;
}

/** Records of one partition, in offset order. */
export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /**
   * The partition's position after this batch: past its records and any transaction markers or
   * aborted records read with them, so a reader can tell it reached a high watermark. A batch may
   * hold no records and only move this.
   */
  readonly nextOffset: bigint;
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

export interface PartitionStart {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export interface GroupReadOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts: its oldest record, or its end. */
  readonly fromBeginning: boolean;
}

/**
 * A read_committed reader. A batch whose handler fails is read again (after a pause), so a
 * handler sees every record at least once; records of one partition arrive in offset order.
 */
export interface RecordReader {
  /** Low and high watermark of every partition of `topic`. */
  partitionOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the first offset stamped at or after `time` (the high watermark if none). */
  offsetsForTime(topic: string, time: number): Promise<{ partition: number; offset: bigint }[]>;
  /** Reads these partitions from these offsets; commits nothing. Resolves once reading has begun. */
  readFrom(starts: readonly PartitionStart[], onBatch: (batch: RecordBatch) => Promise<void>): Promise<void>;
  /** Reads in a consumer group from its committed offsets, committing each batch after its handler. */
  readInGroup(options: GroupReadOptions, onBatch: (batch: RecordBatch) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** A topic to create: name, partition count and cleanup policy (`delete` or `compact`). */
export interface NewTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly cleanupPolicy: string;
  /** Omitted: the brokers' default (`default.replication.factor`). */
  readonly replicationFactor?: number;
}

/** Topic set-up and offsets lookups: what the services and commands ask of a cluster. */
export interface TopicAdmin {
  listTopics(): Promise<string[]>;
  /**
   * Creates the topics and resolves once each partition has a leader; a topic that exists
   * already (created by another process meanwhile) is not an error.
   */
  createTopics(topics: readonly NewTopicSpec[]): Promise<void>;
  /** Partition count of each topic, from the brokers' metadata. */
  partitionCounts(topics: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Low and high watermark of every partition of `topic`, by partition. */
  partitionOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the first offset stamped at or after `time` (the high watermark if none). */
  offsetsForTime(topic: string, time: number): Promise<{ partition: number; offset: bigint }[]>;
  /** A consumer group's committed offsets on these topics (-1: nothing committed). */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<PartitionStart[]>;
  /** How many members a consumer group has now (0 when it is empty or unknown). */
  groupMemberCount(groupId: string): Promise<number>;
  close(): Promise<void>;
}

export interface AssignmentGroupOptions {
  readonly groupId: string;
  readonly topic: string;
  /** A member that stops heartbeating loses its partitions after this long (broker minimum 6 s). */
  readonly sessionTimeoutMs: number;
  /** This member's whole assignment of `topic`, after each rebalance. */
  readonly onAssigned: (partitions: readonly number[]) => void;
  /** Membership ended for good (no further rebalance will be seen); called at most once. */
  readonly onFailed: (error: unknown) => void;
}

/** Membership of a consumer group that is used only for its partition assignment (no records). */
export interface AssignmentMembership {
  /** Leaves the group, so the others take this member's partitions at once. */
  leave(): Promise<void>;
}
