import type { Client } from '@confluentinc/schemaregistry';
import avro from 'avsc';
import {
  AvroDeserializationError,
  AvroSerializationError,
  KafkaAdapterError,
  SchemaFileError,
  SchemaRegistryError,
} from './kafka-errors.js';
import { loadSchemaFile, type SchemaName } from './schema-files.js';
import { SchemaIdLookup, type SchemaLookupPolicy } from './schema-id-lookup.js';
import { schemaRegistryLibrary } from './schema-registry-library.js';
import { type RecordBySchema, type TopicSpec, valueSubject } from './topics.js';

/** Encodes and decodes one topic's values in the Confluent wire format (0, 4-byte id, Avro body). */
export interface AvroSerdes<T> {
  readonly topic: string;
  readonly subject: string;
  /** Encodes `value` with the subject's latest schema, or the writer schema's version (AvroSerdesOptions). */
  serialize(value: T): Promise<Buffer>;
  /**
   * Decodes bytes written with any schema id the registry knows. Tombstones (null values) are not
   * bytes: handle them before calling this.
   */
  deserialize(bytes: Buffer): Promise<T>;
}

/** The avsc-backed serdes, with synchronous paths for the calculator's per-record hot loop. */
export interface FastAvroSerdes<T> extends AvroSerdes<T> {
  /**
   * Resolves the subject's latest schema (once) and returns a synchronous encoder: the hot path
   * then costs no promise per record.
   */
  encoder(): Promise<(value: T) => Buffer>;
  /**
   * Decodes synchronously when the bytes' schema id is already resolved; undefined when it is not
   * yet (call `deserialize`). Throws what `deserialize` throws for bytes it cannot read.
   */
  deserializeKnown(bytes: Buffer): T | undefined;
}

function isRegistryFailure(error: unknown): boolean {
  if (error instanceof schemaRegistryLibrary().RestError) return true;
  return (
    typeof error === 'object' && error !== null && 'isAxiosError' in error && error.isAxiosError === true
  );
}

/** The Confluent wire-format header: magic byte 0, then the schema id as a big-endian int32. */
const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

/**
 * Returns serdes for `topic`'s values in the Confluent wire format. The schema must already be
 * registered under `<topic>-value` (see registerTopicSchemas): serialization never infers or
 * registers one. The registry client resolves schema ids (and the subject's latest schema, once);
 * the Avro bodies are then encoded and decoded by avsc types cached per schema id. That is the
 * same wire format the Confluent serializer writes, at a few microseconds a record instead of
 * ~60 µs through its generic rule-executing path, which made decoding the calculator's bottleneck.
 * `avro-serdes.test.ts` checks both paths produce and read identical bytes.
 */
export interface AvroSerdesOptions {
  /**
   * Write with this schema file's own registered version (looked up by content) instead of the
   * subject's latest: a producer keeps writing what its code was built for while the subject
   * evolves, and fails (a SchemaRegistryError) if its schema was never registered.
   */
  readonly writerSchema?: SchemaName;
}

export function createAvroSerdes<T>(
  client: Client,
  topic: string,
  /** How ids read from input are resolved (negative cache, retries); see SchemaIdLookup. */
  policy?: SchemaLookupPolicy,
  options: AvroSerdesOptions = {},
): FastAvroSerdes<T> {
  const subject = valueSubject(topic);
  const writerSchema = options.writerSchema;
  const resolved = new Map<number, avro.Type>();
  let latest: Promise<{ id: number; type: avro.Type; header: Buffer }> | null = null;

  const lookup = new SchemaIdLookup<avro.Type>(
    subject,
    // A resolved id is never looked up again: building an avsc type per record (as every
    // `deserialize` call would) costs ~60 µs and, on a long read, gigabytes.
    (id) =>
      resolved.has(id)
        ? Promise.resolve(resolved.get(id)!)
        : client.getBySubjectAndId(subject, id).then((info) => {
            const resolvedType = avro.Type.forSchema(JSON.parse(info.schema));
            resolved.set(id, resolvedType);
            return resolvedType;
          }),
    // Not cached by the client: proves the registry answers at all.
    () => client.getAllSubjects(),
    policy,
  );

  const writerMetadata = async (): Promise<{ id: number; schema: string }> => {
    if (writerSchema === undefined) {
      const metadata = await client.getLatestSchemaMetadata(subject);
      return { id: metadata.id!, schema: metadata.schema };
    }
    const { schema } = await loadSchemaFile(writerSchema);
    // normalize=false, as registerSchema registers it: the file's own text is the version.
    const id = await client.getId(subject, { schemaType: 'AVRO', schema }, false);
    return { id, schema };
  };
  const latestSchema = () => {
    if (!latest) {
      latest = writerMetadata().then((metadata) => {
        const header = Buffer.alloc(HEADER_BYTES);
        header.writeUInt8(MAGIC_BYTE, 0);
        header.writeInt32BE(metadata.id, 1);
        return { id: metadata.id, type: avro.Type.forSchema(JSON.parse(metadata.schema)), header };
      });
      latest.catch(() => {
        latest = null;
      });
    }
    return latest;
  };

  // One scratch buffer per serdes: a record is encoded behind the header, then copied out once.
  let scratch = Buffer.alloc(64 * 1024);
  const encodeWith = (schema: Awaited<ReturnType<typeof latestSchema>>, value: T): Buffer => {
    try {
      for (;;) {
        schema.header.copy(scratch, 0);
        const end = schema.type.encode(value, scratch, HEADER_BYTES);
        if (end >= 0) return Buffer.from(scratch.subarray(0, end));
        // avsc answers how many bytes were missing, as a negative number.
        scratch = Buffer.alloc(Math.max(scratch.length * 2, scratch.length - end));
      }
    } catch (cause) {
      // avsc's own message lacks the field; name every offending path and value instead.
      const problems: string[] = [];
      schema.type.isValid(value, {
        errorHook: (path, found) => problems.push(`${path.join('.')} was ${JSON.stringify(found)}`),
      });
      const reason = problems.length > 0 ? new Error(problems.join('; '), { cause }) : cause;
      throw new AvroSerializationError({ topic, subject, value, cause: reason });
    }
  };
  const resolveLatest = async () => {
    try {
      return await latestSchema();
    } catch (cause) {
      if (cause instanceof SchemaFileError) throw cause;
      const operation =
        writerSchema === undefined ? 'latest schema lookup' : `${writerSchema} schema lookup by content`;
      throw new SchemaRegistryError({ subject, cause, operation });
    }
  };
  const checkFraming = (bytes: Buffer): void => {
    if (bytes.length < HEADER_BYTES || bytes[0] !== MAGIC_BYTE) {
      throw new AvroDeserializationError({
        topic,
        bytes,
        cause: new Error(
          bytes.length === 0
            ? 'value was empty'
            : 'not in the Confluent wire format (magic byte 0 + schema id)',
        ),
      });
    }
  };
  const decodeWith = (type: avro.Type, bytes: Buffer): T => {
    try {
      return type.fromBuffer(bytes.subarray(HEADER_BYTES)) as T;
    } catch (cause) {
      throw new AvroDeserializationError({ topic, bytes, cause });
    }
  };

  return {
    topic,
    subject,
    async serialize(value: T): Promise<Buffer> {
      return encodeWith(await resolveLatest(), value);
    },
    async encoder(): Promise<(value: T) => Buffer> {
      const schema = await resolveLatest();
      return (value) => encodeWith(schema, value);
    },
    deserializeKnown(bytes: Buffer): T | undefined {
      checkFraming(bytes);
      const type = resolved.get(bytes.readInt32BE(1));
      return type === undefined ? undefined : decodeWith(type, bytes);
    },
    async deserialize(bytes: Buffer): Promise<T> {
      checkFraming(bytes);
      const id = bytes.readInt32BE(1);
      let type: avro.Type;
      try {
        type = resolved.get(id) ?? (await lookup.resolve(id));
      } catch (cause) {
        if (cause instanceof KafkaAdapterError) throw cause;
        throw new AvroDeserializationError({ topic, bytes, cause });
      }
      return decodeWith(type, bytes);
    },
  };
}

/**
 * The registry client's own serializer and deserializer for `topic`, kept as the reference the
 * fast serdes are tested against (and for tools that want the client's full rule handling).
 */
export function createReferenceAvroSerdes<T>(client: Client, topic: string): AvroSerdes<T> {
  const subject = valueSubject(topic);
  const { AvroDeserializer, AvroSerializer, SerdeType, SubjectNameStrategyType } = schemaRegistryLibrary();
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
        if (isRegistryFailure(cause))
          throw new SchemaRegistryError({ subject, cause, operation: 'latest schema lookup' });
        throw new AvroSerializationError({ topic, subject, value, cause });
      }
    },
    async deserialize(bytes: Buffer): Promise<T> {
      let decoded: unknown;
      try {
        decoded = await deserializer.deserialize(topic, bytes);
      } catch (cause) {
        if (isRegistryFailure(cause))
          throw new SchemaRegistryError({ subject, cause, operation: 'schema lookup by id' });
        throw new AvroDeserializationError({ topic, bytes, cause });
      }
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
