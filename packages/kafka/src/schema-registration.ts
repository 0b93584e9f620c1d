import type { Client, Compatibility } from '@confluentinc/schemaregistry';
import { SchemaRegistryError } from './kafka-errors.js';
import { loadSchemaFiles, type SchemaFile, type SchemaName } from './schema-files.js';
import { AVRO_TOPICS, valueSubject } from './topics.js';

/** Outcome of registering one schema under one subject. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly schemaName: SchemaName;
  /** Registry id; on Apicurio a content id, shared by every subject with the same schema. */
  readonly id: number;
}

/**
 * The rule every subject gets: a new version must read every earlier version's data (consumers
 * upgrade first, and a replay reads old records). Set per subject because the registry's default
 * differs between registries (Apicurio enforces none).
 */
// The enum's value, written out: the registry library is loaded only when a client is made.
export const SUBJECT_COMPATIBILITY = 'BACKWARD_TRANSITIVE' as Compatibility;

/**
 * Sets the subject's compatibility rule, then registers `schema` under `subject` and returns its
 * id. Registering the same schema again is a no-op that returns the same id; a schema that
 * breaks the rule is refused (a non-retriable SchemaRegistryError, status 409).
 */
export async function registerSchema(
  client: Client,
  subject: string,
  schema: SchemaFile,
): Promise<RegisteredSchema> {
  await setCompatibility(client, subject);
  try {
    // normalize=false: the file is the contract; the registry must not rewrite it before comparing.
    const id = await client.register(subject, { schemaType: 'AVRO', schema: schema.schema }, false);
    return { subject, schemaName: schema.name, id };
  } catch (cause) {
    throw new SchemaRegistryError({ subject, cause, operation: 'register' });
  }
}

/**
 * Apicurio answers 409 "A rule named 'COMPATIBILITY' already exists" when two processes (a
 * calculator and `admin init`, say) create a subject's rule at the same moment: the other one
 * created it between this one's check and insert. The rule exists then; setting it again updates it.
 */
const RULE_CREATED_CONCURRENTLY = /rule named 'COMPATIBILITY' already exists/i;

async function setCompatibility(client: Client, subject: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.updateConfig(subject, { compatibility: SUBJECT_COMPATIBILITY });
      return;
    } catch (cause) {
      const raced =
        attempt < 3 && RULE_CREATED_CONCURRENTLY.test(cause instanceof Error ? cause.message : '');
      if (!raced) throw new SchemaRegistryError({ subject, cause, operation: 'set compatibility' });
    }
  }
}

/** Which topics to register, and where to read the .avsc files from. */
export interface RegisterTopicSchemasOptions {
  /** Topics to register, with the schema each carries; default: every Avro topic in topics.ts. */
  readonly topics?: readonly { readonly name: string; readonly schema: SchemaName }[];
  /** Directory holding the .avsc files; default: the repository's schemas/. */
  readonly schemasDir?: string;
}

/**
 * Registers each topic's value schema under `<topic>-value`, one subject after another so a
 * failure names its subject, and returns the ids in topic order.
 */
export async function registerTopicSchemas(
  client: Client,
  options: RegisterTopicSchemasOptions = {},
): Promise<readonly RegisteredSchema[]> {
  const files = await loadSchemaFiles(options.schemasDir);
  const topics = options.topics ?? AVRO_TOPICS;
  const registered: RegisteredSchema[] = [];
  for (const topic of topics) {
    const file = files.get(topic.schema);
    // Unreachable: loadSchemaFiles loads every SchemaName.
    if (file === undefined) throw new Error(`schema ${topic.schema} was not loaded`);
    registered.push(await registerSchema(client, valueSubject(topic.name), file));
  }
  return registered;
}
