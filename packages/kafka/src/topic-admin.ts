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
  options: { readonly replicationFactor?: number; readonly attempts?: number } = {},
): Promise<readonly string[]> {
  const target = specs.map((spec) => spec.name).join(',');
  const attempts = options.attempts ?? 5;
  const created = new Set<string>();
  for (let attempt = 1; ; attempt += 1) {
    try {
      for (const name of await createMissing(admin, specs, options.replicationFactor)) created.add(name);
      return specs.map((spec) => spec.name).filter((name) => created.has(name));
    } catch (cause) {
      const error = new KafkaOperationError({
        operation: 'create topics',
        target: target.slice(0, 200),
        cause,
      });
      // On a cluster, a new topic's metadata reaches the other brokers a moment after the
      // controller answers ("does not host this topic-partition"): asking again settles it.
      if (!error.retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function createMissing(
  admin: TopicAdmin,
  specs: readonly TopicToEnsure[],
  replicationFactor: number | undefined,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics(
      missing.map((spec) => ({
        name: spec.name,
        partitions: spec.partitions,
        cleanupPolicy: spec.cleanupPolicy,
        ...(replicationFactor === undefined ? {} : { replicationFactor }),
      })),
    );
  }
  return missing.map((spec) => spec.name);
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
