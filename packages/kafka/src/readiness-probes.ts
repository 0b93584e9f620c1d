import type { Client } from '@confluentinc/schemaregistry';
import type { TopicAdmin } from './record-ports.js';

/** A readiness probe (see @indexflow/observability's DependencyProbes): a name and a cheap question. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<unknown>;
}

/** The brokers answer a metadata request (a paused broker does not, and the probe times out). */
export function kafkaProbe(admin: TopicAdmin): ReadinessProbe {
  return { name: 'kafka', check: () => admin.listTopics() };
}

/** The schema registry answers its subject list. */
export function registryProbe(registry: Client): ReadinessProbe {
  return { name: 'registry', check: () => registry.getAllSubjects() };
}
