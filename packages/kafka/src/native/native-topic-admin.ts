// The TopicAdmin port on librdkafka's admin client: topic set-up and offset lookups without
// loading kafkajs on the native path.
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaOperationError } from '../kafka-errors.js';
import type { NewTopicSpec, PartitionOffsets, PartitionStart, TopicAdmin } from '../record-ports.js';
import {
  baseConfig,
  disconnectNative,
  nativeKafka,
  nativeOperationError,
  type RdKafka,
  viaCallback,
} from './native-client.js';

const TIMEOUT_MS = 30_000;
/**
 * Metadata and offset questions: quick on any healthy cluster, and librdkafka holds process exit
 * (and disconnect) until each request in flight ends, so a refused login costs this long.
 */
const QUERY_TIMEOUT_MS = 10_000;
/** librdkafka's ERR__AUTHENTICATION. */
const AUTHENTICATION = -169;
const LEADER_POLL_MS = 100;
/** Kafka's GROUP_ID_NOT_FOUND. */
const GROUP_ID_NOT_FOUND = 69;

export interface NativeTopicAdminOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export class NativeTopicAdmin implements TopicAdmin {
  readonly #client: RdKafka.IAdminClient;
  // librdkafka reports refused credentials as a client event; the request itself then fails with
  // a bare "broker transport failure", which would hide the reason.
  #authenticationFailure: unknown = null;
  // Requests in flight end at once when credentials are refused, not at their timeout.
  readonly #onRefused = new Set<() => void>();
  readonly #options: NativeTopicAdminOptions;
  readonly #offsetsReaders = new Map<string, Promise<RdKafka.KafkaConsumer>>();

  constructor(options: NativeTopicAdminOptions) {
    this.#options = options;
    const kafka = nativeKafka();
    this.#client = kafka.AdminClient.create(baseConfig(options.brokers, options.clientId), {
      'event.error': (error: { code?: number; message?: string }) => {
        if (error.code === AUTHENTICATION || /authentication/i.test(error.message ?? '')) {
          this.#authenticationFailure = error;
          for (const refuse of this.#onRefused) refuse();
        }
      },
    });
  }

  listTopics(): Promise<string[]> {
    return this.#via<string[]>('list topics', '*', (done) =>
      this.#client.listTopics({ timeout: QUERY_TIMEOUT_MS }, done),
    );
  }

  async createTopics(topics: readonly NewTopicSpec[]): Promise<void> {
    const exists = nativeKafka().CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS;
    for (const spec of topics) {
      await this.#via('create topic', spec.name, (done) =>
        this.#client.createTopic(
          {
            topic: spec.name,
            num_partitions: spec.partitions,
            // -1: the brokers' default.replication.factor (KIP-464).
            replication_factor: spec.replicationFactor ?? -1,
            config: { 'cleanup.policy': spec.cleanupPolicy as 'delete' | 'compact' },
          },
          TIMEOUT_MS,
          (err) => done(err?.code === exists ? null : err),
        ),
      );
    }
    await this.#waitForLeaders(topics.map((t) => t.name));
  }

  async partitionCounts(topics: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const described = await this.#describe(topics);
    return new Map(described.map((topic) => [topic.name, topic.partitions.length]));
  }

  async partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    const partitions = await this.#partitions(topic);
    const { OffsetSpec } = nativeKafka();
    const [low, high] = await Promise.all(
      [OffsetSpec.EARLIEST, OffsetSpec.LATEST].map((spec) => this.#listOffsets(topic, partitions, spec)),
    );
    return partitions.map((partition) => ({
      partition,
      low: low!.get(partition) ?? 0n,
      high: high!.get(partition) ?? 0n,
    }));
  }

  async offsetsForTime(topic: string, time: number): Promise<{ partition: number; offset: bigint }[]> {
    const partitions = await this.#partitions(topic);
    const { OffsetSpec } = nativeKafka();
    const [found, high] = await Promise.all([
      this.#listOffsets(topic, partitions, new OffsetSpec(time)),
      this.#listOffsets(topic, partitions, OffsetSpec.LATEST),
    ]);
    // -1 (no record stamped that late) reads as the end, as kafkajs answers.
    return partitions.map((partition) => {
      const offset = found.get(partition) ?? -1n;
      return { partition, offset: offset >= 0n ? offset : (high.get(partition) ?? 0n) };
    });
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<PartitionStart[]> {
    const partitions = (
      await Promise.all(
        topics.map(async (topic) =>
          (await this.#partitions(topic)).map((partition) => ({ topic, partition })),
        ),
      )
    ).flat();
    if (partitions.length === 0) return [];
    // A group member's OffsetFetch, not the admin client's ListConsumerGroupOffsets: librdkafka
    // (2.15) aborts the process (an assertion on the request's reference count, or SIGSEGV) when
    // an admin request to a group coordinator times out, which it does while the coordinator's
    // broker is paused or dead; the consumer's request does not (docs/operations.md, fault suite).
    const reader = await this.#offsetsReader(groupId);
    const committed = await this.#via<RdKafka.TopicPartitionOffset[]>(
      'fetch committed offsets',
      groupId,
      (done) => reader.committed(partitions, QUERY_TIMEOUT_MS, done),
    );
    // Where nothing is committed librdkafka gives no offset or OFFSET_INVALID (-1001); kafkajs -1.
    return committed.map(({ topic, partition, offset }) => ({
      topic,
      partition,
      offset: offset === undefined || offset < 0 ? -1n : BigInt(offset),
    }));
  }

  async groupMemberCount(groupId: string): Promise<number> {
    const { groups } = await this.#via<RdKafka.GroupDescriptions>('describe group', groupId, (done) =>
      this.#client.describeGroups([groupId], { timeout: QUERY_TIMEOUT_MS }, done),
    );
    const group = groups[0];
    // Newer brokers answer GROUP_ID_NOT_FOUND for a group nobody joined yet: no members.
    if (group?.error?.code === GROUP_ID_NOT_FOUND) return 0;
    if (group?.error) throw nativeOperationError('describe group', groupId, group.error);
    return group?.members.length ?? 0;
  }

  async close(): Promise<void> {
    // librdkafka's disconnect waits for requests in flight (up to their timeout); refused
    // credentials leave nothing to close cleanly, and the process is about to stop on them.
    if (this.#authenticationFailure !== null) return;
    this.#client.disconnect();
    const readers = [...this.#offsetsReaders.values()];
    this.#offsetsReaders.clear();
    for (const reader of readers) {
      const connected = await reader.catch(() => undefined);
      if (connected !== undefined) await disconnectNative(connected);
    }
  }

  /** A consumer of the group that never subscribes, so it never joins: it only reads offsets. */
  #offsetsReader(groupId: string): Promise<RdKafka.KafkaConsumer> {
    let reader = this.#offsetsReaders.get(groupId);
    if (reader === undefined) {
      const consumer = new (nativeKafka().KafkaConsumer)({
        ...baseConfig(this.#options.brokers, `${this.#options.clientId}-offsets`),
        'group.id': groupId,
        'enable.auto.commit': false,
      });
      const connecting = this.#via('connect', groupId, (done) =>
        consumer.connect({ timeout: QUERY_TIMEOUT_MS }, (err) => done(err)),
      ).then(() => consumer);
      this.#offsetsReaders.set(groupId, connecting);
      connecting.catch(() => this.#offsetsReaders.delete(groupId));
      reader = connecting;
    }
    return reader;
  }

  async #via<T = void>(
    operation: string,
    target: string,
    call: (done: (err: unknown, value?: T) => void) => void,
  ): Promise<T> {
    let refuse: (() => void) | undefined;
    try {
      if (this.#authenticationFailure !== null) throw this.#authenticationFailure;
      return await Promise.race([
        viaCallback<T>(operation, target, call),
        new Promise<never>((_, reject) => {
          refuse = () => reject(this.#authenticationFailure);
          this.#onRefused.add(refuse);
        }),
      ]);
    } catch (error) {
      const refused = this.#authenticationFailure;
      if (refused === null) throw error;
      const reason = refused instanceof Error ? refused.message : String(refused);
      throw new KafkaOperationError({
        operation,
        target: target.slice(0, 200),
        cause: new Error(
          `authentication failed: the brokers refused the SASL credentials (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD): ${reason.slice(0, 200)}`,
          { cause: refused },
        ),
        retriable: false,
      });
    } finally {
      if (refuse !== undefined) this.#onRefused.delete(refuse);
    }
  }

  async #describe(topics: readonly string[]): Promise<RdKafka.TopicDescription[]> {
    const described = await this.#via<RdKafka.TopicDescription[]>(
      'describe topics',
      topics.join(','),
      (done) => this.#client.describeTopics([...topics], { timeout: QUERY_TIMEOUT_MS }, done),
    );
    const failed = described.find((topic) => topic.error !== undefined);
    if (failed !== undefined) throw nativeOperationError('describe topics', failed.name, failed.error);
    return described;
  }

  async #partitions(topic: string): Promise<number[]> {
    const [described] = await this.#describe([topic]);
    return (described?.partitions ?? []).map((p) => p.partition).sort((a, b) => a - b);
  }

  async #listOffsets(
    topic: string,
    partitions: readonly number[],
    spec: RdKafka.OffsetSpec,
  ): Promise<Map<number, bigint>> {
    const results = await this.#via<RdKafka.ListOffsetsResult[]>('list offsets', topic, (done) =>
      this.#client.listOffsets(
        partitions.map((partition) => ({ topic, partition, offset: spec })),
        { timeout: QUERY_TIMEOUT_MS, isolationLevel: nativeKafka().IsolationLevel.READ_COMMITTED },
        done,
      ),
    );
    return new Map(results.map((r) => [r.partition, BigInt(r.offset)]));
  }

  /** A created topic's partitions get leaders a moment after the controller answers. */
  async #waitForLeaders(topics: readonly string[]): Promise<void> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const described = await this.#describe(topics).catch((error: unknown) => {
        if (Date.now() >= deadline) throw error;
        return null;
      });
      if (described?.every((t) => t.partitions.every((p) => p.leader !== null))) return;
      if (Date.now() >= deadline)
        throw new KafkaOperationError({
          operation: 'wait for partition leaders',
          target: topics.join(',').slice(0, 200),
          cause: new Error(`some partition still had no leader after ${TIMEOUT_MS} ms`),
          retriable: true,
        });
      await sleep(LEADER_POLL_MS);
    }
  }
}
