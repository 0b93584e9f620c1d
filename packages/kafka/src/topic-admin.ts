import type { Admin } from 'kafkajs';
import { KafkaOperationError } from './kafka-errors.js';
import type { TopicSpec } from './topics.js';

/** A topic to create: a catalogue spec, possibly under another name (prefixed, or unique in tests). */
export type TopicToEnsure = Pick<TopicSpec, 'name' | 'partitions' | 'cleanupPolicy'>;

/**
 * Creates every topic of `specs` that does not exist yet, with its partition count and cleanup
 * policy, and returns the names it created. Existing topics are left as they are (their partition
 * count is part of the contract and is never changed here). Safe to run concurrently: a topic
 * another process created in between counts as existing.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicToEnsure[],
  options: { readonly replicationFactor?: number } = {},
): Promise<readonly string[]> {
  const target = specs.map((spec) => spec.name).join(',');
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return [];
    // createTopics resolves false (instead of failing) when some topics already existed.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
        configEntries: [{ name: 'cleanup.policy', value: spec.cleanupPolicy }],
      })),
    });
    return missing.map((spec) => spec.name);
  } catch (cause) {
    if (isTopicAlreadyExists(cause)) return [];
    throw new KafkaOperationError({ operation: 'create topics', target, cause });
  }
}

function isTopicAlreadyExists(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const errors = 'errors' in cause && Array.isArray(cause.errors) ? cause.errors : [cause];
  return errors.every(
    (error: unknown) =>
      typeof error === 'object' && error !== null && 'type' in error && error.type === 'TOPIC_ALREADY_EXISTS',
  );
}

/**
 * How many partitions each topic has, from the brokers' metadata: producers that write to every
 * partition (watermarks) need the real count, not the catalogue's, since an operator may add some.
 */
export async function fetchPartitionCounts(
  admin: Admin,
  topics: readonly string[],
): Promise<ReadonlyMap<string, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  return new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
}
