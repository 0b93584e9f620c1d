import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createSchemaRegistryClient,
  ensureTopics,
  type KafkaClientName,
  openTopicAdmin,
  type RegisteredSchema,
  registerTopicSchemas,
} from '@indexflow/kafka';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { cliKafkaClient } from '../kafka/cli-kafka-client.js';
import { registerAclsCommand } from './admin-acls.js';

interface InitFlags {
  replicationFactor?: string;
}

export interface InitSummary {
  /** Topics this run created; the others already existed (and were left as they are). */
  readonly created: readonly string[];
  readonly topics: number;
  readonly schemas: readonly RegisteredSchema[];
}

/**
 * Creates every catalogue topic under `topicPrefix` that is missing and registers every Avro
 * topic's schema: what each service also does on start, as one step a deployment can run (and
 * wait for) before any service starts. Both steps are idempotent.
 */
export async function initTopicsAndSchemas(options: {
  readonly brokers: string;
  readonly registryUrl: string;
  readonly topicPrefix: string;
  readonly client: KafkaClientName;
  readonly replicationFactor?: number;
}): Promise<InitSummary> {
  const admin = await openTopicAdmin({
    client: options.client,
    brokers: options.brokers.split(','),
    clientId: 'indexflow-admin-init',
  });
  let created: readonly string[];
  try {
    created = await ensureTopics(
      admin,
      ALL_TOPICS.map((t) => ({ ...t, name: `${options.topicPrefix}${t.name}` })),
      options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor },
    );
  } finally {
    await admin.close();
  }
  const schemas = await registerTopicSchemas(createSchemaRegistryClient({ url: options.registryUrl }), {
    topics: AVRO_TOPICS.map((t) => ({ name: `${options.topicPrefix}${t.name}`, schema: t.schema })),
  });
  return { created, topics: ALL_TOPICS.length, schemas };
}

export function registerAdminCommand(program: Command): void {
  const admin = program.command('admin').description(COMMAND_SUMMARIES.admin);
  admin
    .command('init')
    .description(
      'create the catalogue topics (under TOPIC_PREFIX) and register their Avro schemas; idempotent, for a deploy’s init step',
    )
    .option('--replication-factor <n>', 'replication factor of topics it creates (default: the broker’s)')
    .addHelpText('after', '\nNeeds KAFKA_BROKERS and SCHEMA_REGISTRY_URL; TOPIC_PREFIX optional.\n')
    .action(async (flags: InitFlags) => {
      const brokers = process.env.KAFKA_BROKERS;
      const registryUrl = process.env.SCHEMA_REGISTRY_URL;
      if (!brokers || !registryUrl) {
        process.stderr.write('error: admin init needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL\n');
        process.exitCode = 2;
        return;
      }
      const replicationFactor =
        flags.replicationFactor === undefined ? undefined : Number(flags.replicationFactor);
      if (
        replicationFactor !== undefined &&
        !(Number.isInteger(replicationFactor) && replicationFactor > 0)
      ) {
        process.stderr.write(
          `error: --replication-factor must be a positive integer, was ${flags.replicationFactor}\n`,
        );
        process.exitCode = 2;
        return;
      }
      const summary = await initTopicsAndSchemas({
        brokers,
        registryUrl,
        topicPrefix: process.env.TOPIC_PREFIX ?? '',
        client: cliKafkaClient(),
        ...(replicationFactor === undefined ? {} : { replicationFactor }),
      });
      process.stdout.write(
        `admin init: ${summary.topics} topics (${summary.created.length} created${summary.created.length > 0 ? `: ${summary.created.join(', ')}` : ''}), ` +
          `${summary.schemas.length} subjects registered: ${summary.schemas.map((s) => `${s.subject}=${s.id}`).join(', ')}\n`,
      );
    });
  registerAclsCommand(admin);
}
