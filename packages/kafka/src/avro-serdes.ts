import {
  AvroDeserializer,
  AvroSerializer,
  type Client,
  RestError,
  SerdeType,
  SubjectNameStrategyType,
} from '@confluentinc/schemaregistry';
import { AvroDeserializationError, AvroSerializationError, SchemaRegistryError } from './kafka-errors.js';
import type { SchemaName } from './schema-files.js';
import { type RecordBySchema, type TopicSpec, valueSubject } from './topics.js';

/** Encodes and decodes one topic's values in the Confluent wire format (0, 4-byte id, Avro body). */
export interface AvroSerdes<T> {
  readonly topic: string;
  readonly subject: string;
  /** Encodes `value` with the latest schema registered under `subject`. */
  serialize(value: T): Promise<Buffer>;
  /**
   * Decodes bytes written with any schema id the registry knows. Tombstones (null values) are not
   * bytes: handle them before calling this.
   */
  deserialize(bytes: Buffer): Promise<T>;
}

function isRegistryFailure(error: unknown): boolean {
  if (error instanceof RestError) return true;
  return (
    typeof error === 'object' && error !== null && 'isAxiosError' in error && error.isAxiosError === true
  );
}

/**
 * Returns serdes for `topic`'s values. The schema must already be registered under
 * `<topic>-value` (see registerTopicSchemas): serialization never infers or registers one.
 * The latest schema is cached by `client` (see createSchemaRegistryClient's cacheLatestTtlSecs).
 */
export function createAvroSerdes<T>(client: Client, topic: string): AvroSerdes<T> {
  const subject = valueSubject(topic);
  const serializer = new AvroSerializer(client, SerdeType.VALUE, {
    // With autoRegisterSchemas on (or useLatestVersion off) the client derives a schema from the
    // object (record Record1, guessed types) and registers it; the .avsc files are the contract.
    autoRegisterSchemas: false,
    useLatestVersion: true,
    // The client's default (ASSOCIATED) first asks an associations endpoint that Apicurio lacks.
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
  });
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
  });

  return {
    topic,
    subject,
    async serialize(value: T): Promise<Buffer> {
      try {
        return await serializer.serialize(topic, value);
      } catch (cause) {
        if (isRegistryFailure(cause)) {
          throw new SchemaRegistryError({ subject, cause, operation: 'latest schema lookup' });
        }
        throw new AvroSerializationError({ topic, subject, value, cause });
      }
    },
    async deserialize(bytes: Buffer): Promise<T> {
      let decoded: unknown;
      try {
        decoded = await deserializer.deserialize(topic, bytes);
      } catch (cause) {
        if (isRegistryFailure(cause)) {
          throw new SchemaRegistryError({ subject, cause, operation: 'schema lookup by id' });
        }
        throw new AvroDeserializationError({ topic, bytes, cause });
      }
      // The client decodes an empty buffer to null instead of failing.
      if (decoded === null || decoded === undefined) {
        throw new AvroDeserializationError({ topic, bytes, cause: new Error('value was empty') });
      }
      return decoded as T;
    },
  };
}

/** Returns serdes for one of the topics in TOPICS, typed by the schema the topic carries. */
export function createTopicSerdes<S extends SchemaName>(
  client: Client,
  topic: TopicSpec<S>,
): AvroSerdes<RecordBySchema[S]> {
  return createAvroSerdes<RecordBySchema[S]>(client, topic.name);
}
