import { TOPICS, type TopicKey } from './topics.js';

/**
 * Returns every catalogue topic's name under `prefix` (e.g. `staging.` gives
 * `staging.indexflow.ticks.ashare`), so several environments can share one cluster.
 */
export function topicNames(prefix = ''): Readonly<Record<TopicKey, string>> {
  const names = Object.fromEntries(
    (Object.keys(TOPICS) as TopicKey[]).map((key) => [key, `${prefix}${TOPICS[key].name}`]),
  ) as Record<TopicKey, string>;
  return Object.freeze(names);
}
