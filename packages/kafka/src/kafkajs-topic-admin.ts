// The TopicAdmin port on kafkajs's admin client (KAFKA_CLIENT=kafkajs).
import type { Admin, Kafka } from 'kafkajs';
import type { NewTopicSpec, PartitionOffsets, PartitionStart, TopicAdmin } from './record-ports.js';

export class KafkajsTopicAdmin implements TopicAdmin {
  readonly #admin: Admin;
  readonly #owned: boolean;

  private constructor(admin: Admin, owned: boolean) {
    this.#admin = admin;
    this.#owned = owned;
  }

  static async open(kafka: Kafka): Promise<KafkajsTopicAdmin> {
    const admin = kafka.admin();
    await admin.connect();
    return new KafkajsTopicAdmin(admin, true);
  }

  /** Over a connected admin the caller owns (and disconnects): `close()` leaves it open. */
  static over(admin: Admin): KafkajsTopicAdmin {
    return new KafkajsTopicAdmin(admin, false);
  }

  listTopics(): Promise<string[]> {
    return this.#admin.listTopics();
  }

  async createTopics(topics: readonly NewTopicSpec[]): Promise<void> {
    try {
      // Resolves false (instead of failing) when some topics already existed.
      await this.#admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          ...(spec.replicationFactor === undefined ? {} : { replicationFactor: spec.replicationFactor }),
          configEntries: [{ name: 'cleanup.policy', value: spec.cleanupPolicy }],
        })),
      });
    } catch (cause) {
      if (!allTopicsExisted(cause)) throw cause;
    }
  }

  async partitionCounts(topics: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const metadata = await this.#admin.fetchTopicMetadata({ topics: [...topics] });
    return new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
  }

  async partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets
      .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsetsForTime(topic: string, time: number): Promise<{ partition: number; offset: bigint }[]> {
    const offsets = await this.#admin.fetchTopicOffsetsByTimestamp(topic, time);
    return offsets
      .map(({ partition, offset }) => ({ partition, offset: BigInt(offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<PartitionStart[]> {
    const committed = await this.#admin.fetchOffsets({ groupId, topics: [...topics] });
    return committed.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic, partition, offset: BigInt(offset) })),
    );
  }

  async groupMemberCount(groupId: string): Promise<number> {
    const { groups } = await this.#admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#admin.disconnect();
  }
}

function allTopicsExisted(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const errors = 'errors' in cause && Array.isArray(cause.errors) ? cause.errors : [cause];
  return errors.every(
    (error: unknown) =>
      typeof error === 'object' && error !== null && 'type' in error && error.type === 'TOPIC_ALREADY_EXISTS',
  );
}
