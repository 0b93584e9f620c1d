// All errors thrown by @indexflow/kafka. Each says whether retrying the same call can help
// (`retriable`), and carries the value that was wrong, so callers decide from fields, not text.

/** Root of every error this package throws. */
export class KafkaAdapterError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/** HTTP status of a registry failure, when the registry answered at all. */
function statusOf(cause: unknown): number | undefined {
  if (typeof cause === 'object' && cause !== null && 'status' in cause && typeof cause.status === 'number') {
    return cause.status;
  }
  return undefined;
}

// A registry that did not answer (connection refused, timeout) or answered 5xx/408/429 may
// succeed later; any other 4xx (unknown subject, incompatible or invalid schema) will not.
export function isRetriableRegistryFailure(cause: unknown): boolean {
  const status = statusOf(cause);
  if (status !== undefined) return status >= 500 || status === 408 || status === 429;
  return (
    typeof cause === 'object' && cause !== null && 'isAxiosError' in cause && cause.isAxiosError === true
  );
}

/** A Schema Registry call for one subject failed. */
export class SchemaRegistryError extends KafkaAdapterError {
  readonly subject: string;
  /** HTTP status the registry answered with; undefined when it did not answer. */
  readonly status: number | undefined;

  constructor(args: { subject: string; cause: unknown; retriable?: boolean; operation?: string }) {
    const status = statusOf(args.cause);
    const reason = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super(
      `schema registry ${args.operation ?? 'call'} for subject ${args.subject} failed` +
        `${status === undefined ? '' : ` with status ${status}`}: ${reason}`,
      { retriable: args.retriable ?? isRetriableRegistryFailure(args.cause), cause: args.cause },
    );
    this.subject = args.subject;
    this.status = status;
  }
}

/**
 * The registry answered that it does not know a schema id (or refused the lookup for good).
 * Never retriable: the record is dead-lettered as `unknown_schema`, and the id is remembered for
 * a while so that a stream of such records costs no registry request each.
 */
export class UnknownSchemaIdError extends KafkaAdapterError {
  readonly subject: string;
  readonly schemaId: number;
  readonly status: number | undefined;

  constructor(args: { subject: string; schemaId: number; cause: unknown }) {
    const status = statusOf(args.cause);
    super(
      `schema id ${args.schemaId} is unknown to the registry for subject ${args.subject}` +
        `${status === undefined ? '' : ` (status ${status})`}: ${cut(reasonOf(args.cause))}`,
      { retriable: false, cause: args.cause },
    );
    this.subject = args.subject;
    this.schemaId = args.schemaId;
    this.status = status;
  }
}

/**
 * Lookups of one schema id kept failing (5xx, 429, timeouts) while the registry itself answered:
 * the id, not the registry, is broken. The record is dead-lettered as `schema_unavailable`.
 */
export class SchemaUnavailableError extends KafkaAdapterError {
  readonly subject: string;
  readonly schemaId: number;
  readonly attempts: number;

  constructor(args: { subject: string; schemaId: number; attempts: number; cause: unknown }) {
    super(
      `schema id ${args.schemaId} for subject ${args.subject} could not be fetched in ` +
        `${args.attempts} attempts while the registry answered other requests: ${cut(reasonOf(args.cause))}`,
      { retriable: false, cause: args.cause },
    );
    this.subject = args.subject;
    this.schemaId = args.schemaId;
    this.attempts = args.attempts;
  }
}

/** A value did not match the Avro schema registered for its topic. Never retriable. */
export class AvroSerializationError extends KafkaAdapterError {
  readonly topic: string;
  readonly subject: string;
  readonly value: unknown;

  constructor(args: { topic: string; subject: string; value: unknown; cause: unknown }) {
    const reason = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super(`value for topic ${args.topic} does not match the schema of ${args.subject}: ${reason}`, {
      retriable: false,
      cause: args.cause,
    });
    this.topic = args.topic;
    this.subject = args.subject;
    this.value = args.value;
  }
}

/** Bytes read from a topic could not be decoded. Never retriable: route them to the dead-letter topic. */
export class AvroDeserializationError extends KafkaAdapterError {
  readonly topic: string;
  /** Schema id from the wire-format prefix, when the bytes had one. */
  readonly schemaId: number | undefined;
  readonly byteLength: number;

  constructor(args: { topic: string; bytes: Buffer; cause: unknown }) {
    const schemaId = args.bytes.length >= 5 && args.bytes[0] === 0 ? args.bytes.readUInt32BE(1) : undefined;
    const reason = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super(
      `value of ${args.bytes.length} bytes from topic ${args.topic} ` +
        `(schema id was ${schemaId ?? 'absent'}) could not be decoded: ${reason}`,
      { retriable: false, cause: args.cause },
    );
    this.topic = args.topic;
    this.schemaId = schemaId;
    this.byteLength = args.bytes.length;
  }
}

/** A schemas/*.avsc file is missing or is not a valid Avro schema. */
export class SchemaFileError extends KafkaAdapterError {
  readonly file: string;

  constructor(args: { file: string; cause: unknown }) {
    const reason = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super(`schema file ${args.file} could not be loaded: ${reason}`, { retriable: false, cause: args.cause });
    this.file = args.file;
  }
}

/** A symbol has no exchange suffix that maps to a tick topic. */
export class UnknownSymbolSuffixError extends KafkaAdapterError {
  readonly symbol: string;

  constructor(args: { symbol: string }) {
    super(`symbol was ${JSON.stringify(args.symbol)}; expected a .SH, .SZ or .HK suffix`, {
      retriable: false,
    });
    this.symbol = args.symbol;
  }
}

/** A decoded record lacks a field the engine needs, or has it with the wrong type. Never retriable. */
export class RecordShapeError extends KafkaAdapterError {
  readonly schema: string;
  readonly field: string;
  readonly value: unknown;

  constructor(args: { schema: string; field: string; value: unknown }) {
    super(`${args.schema} record field ${args.field} was ${describeValue(args.value)}`, { retriable: false });
    this.schema = args.schema;
    this.field = args.field;
    this.value = args.value;
  }
}

/** An input topic whose name does not say which schema it carries. Never retriable: a configuration error. */
export class UnknownInputTopicError extends KafkaAdapterError {
  readonly topic: string;

  constructor(args: { topic: string }) {
    super(
      `input topic was ${JSON.stringify(args.topic)}; expected a tick, fx or index-adjustment topic ` +
        '(a catalogue name, optionally prefixed, or an explicit { name, schema })',
      { retriable: false },
    );
    this.topic = args.topic;
  }
}

/** The event source did not get its partitions assigned in time. */
export class EventSourceStartError extends KafkaAdapterError {
  readonly groupId: string;
  readonly timeoutMs: number;

  constructor(args: { groupId: string; timeoutMs: number; cause?: unknown }) {
    super(`consumer group ${args.groupId} was not assigned partitions within ${args.timeoutMs} ms`, {
      retriable: true,
      cause: args.cause,
    });
    this.groupId = args.groupId;
    this.timeoutMs = args.timeoutMs;
  }
}

/** A Kafka call of an adapter failed (fetching offsets, creating topics). */
export class KafkaOperationError extends KafkaAdapterError {
  readonly operation: string;
  readonly target: string;

  constructor(args: { operation: string; target: string; cause: unknown; retriable?: boolean }) {
    super(`kafka ${args.operation} for ${args.target} failed: ${reasonOf(args.cause)}`, {
      retriable: args.retriable ?? isRetriableKafkaFailure(args.cause),
      cause: args.cause,
    });
    this.operation = args.operation;
    this.target = args.target;
  }
}

/** A level transaction failed and was aborted (or could not even be aborted): nothing of it is visible. */
export class LevelTransactionError extends KafkaAdapterError {
  readonly transactionalId: string;
  /** The input offsets the failed transaction would have committed. */
  readonly offsets: Readonly<Record<string, string>>;
  readonly aborted: boolean;

  constructor(args: {
    transactionalId: string;
    offsets: Readonly<Record<string, string>>;
    aborted: boolean;
    cause: unknown;
  }) {
    super(
      `transaction ${args.transactionalId} for offsets ${JSON.stringify(args.offsets)} failed` +
        `${args.aborted ? ' and was aborted' : ' and could not be aborted'}: ${reasonOf(args.cause)}`,
      { retriable: isRetriableKafkaFailure(args.cause), cause: args.cause },
    );
    this.transactionalId = args.transactionalId;
    this.offsets = args.offsets;
    this.aborted = args.aborted;
  }
}

/** Cuts an offending value or message to ~200 characters for an error message or a header. */
function cut(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

// kafkajs marks its own errors `retriable`; a fenced producer (another instance took over the
// transactional id) must not retry. Anything else that is not a kafkajs error is a bug or bad input.
function isRetriableKafkaFailure(cause: unknown): boolean {
  if (cause instanceof KafkaAdapterError) return cause.retriable;
  if (typeof cause !== 'object' || cause === null) return false;
  const type = 'type' in cause ? cause.type : undefined;
  if (type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH') return false;
  return 'retriable' in cause && cause.retriable === true;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  try {
    return cut(JSON.stringify(value) ?? String(value));
  } catch {
    return cut(String(value));
  }
}
