import { KafkaOperationError } from './kafka-errors.js';
import type { TopicAdmin } from './record-ports.js';
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
  admin: TopicAdmin,
  specs: readonly TopicToEnsure[],
  options: { readonly replicationFactor?: number } = {},
): Promise<readonly string[]> {
  const target = specs.map((spec) => spec.name).join(',');
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return [];
    await admin.createTopics(
      missing.map((spec) => ({
        name: spec.name,
        partitions: spec.partitions,
        cleanupPolicy: spec.cleanupPolicy,
        ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
      })),
    );
    return missing.map((spec) => spec.name);
  } catch (cause) {
    throw new KafkaOperationError({ operation: 'create topics', target: target.slice(0, 200), cause });
  }
}

/**
 * How many partitions each topic has, from the brokers' metadata: producers that write to every
 * partition (watermarks) need the real count, not the catalogue's, since an operator may add some.
 */
export function fetchPartitionCounts(
  admin: TopicAdmin,
  topics: readonly string[],
): Promise<ReadonlyMap<string, number>> {
  return admin.partitionCounts(topics);
}
