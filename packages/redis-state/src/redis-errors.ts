// All errors thrown by @indexflow/redis-state. Each says whether retrying the same call can help
// (`retriable`) and carries the values that were wrong, so callers decide from fields, not text.

/** Root of every error this package throws. */
export class RedisStateError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/**
 * A Redis call failed for a reason outside this store's rules: the connection (refused, reset,
 * closed, out of retries) or a server that is busy or failing over. Retriable when the cause is.
 */
export class RedisOperationError extends RedisStateError {
  readonly operation: string;
  readonly key: string;

  constructor(args: { operation: string; key: string; cause: unknown }) {
    super(`redis ${args.operation} on ${args.key} failed: ${reasonOf(args.cause)}`, {
      retriable: isRetriableRedisFailure(args.cause),
      cause: args.cause,
    });
    this.operation = args.operation;
    this.key = args.key;
  }
}

/**
 * A version check failed: `stage` found a committed version other than `version - 1`, or
 * `promote` found no pending snapshot at the version asked for. Another writer moved the state
 * (or the caller lost track of its version); retrying the same call cannot help.
 */
export class VersionConflictError extends RedisStateError {
  readonly key: string;
  readonly expected: number;
  /** The version Redis held; null when the key was absent. */
  readonly found: number | null;

  constructor(args: { key: string; expected: number; found: number | null; detail?: string }) {
    super(
      `version conflict on ${args.key}: expected version ${args.expected}, found ${args.found ?? 'none'}` +
        `${args.detail === undefined ? '' : ` (${args.detail})`}`,
      { retriable: false },
    );
    this.key = args.key;
    this.expected = args.expected;
    this.found = args.found;
  }
}

/** A snapshot handed to `stage` is unusable (version not a positive integer, engine not JSON). */
export class InvalidSnapshotError extends RedisStateError {
  readonly field: string;
  readonly value: unknown;

  constructor(args: { field: string; value: unknown; reason: string }) {
    super(`snapshot ${args.field} was ${describeValue(args.value)}: ${args.reason}`, { retriable: false });
    this.field = args.field;
    this.value = args.value;
  }
}

/** The engine snapshot JSON does not have the shape the projection reads. Never retriable. */
export class EngineSnapshotShapeError extends RedisStateError {
  /** Where in the engine JSON, e.g. `indices[2].constituents[0].indexShares`. */
  readonly path: string;
  readonly value: unknown;

  constructor(args: { path: string; value: unknown; expected: string }) {
    super(`engine snapshot ${args.path} was ${describeValue(args.value)}; expected ${args.expected}`, {
      retriable: false,
    });
    this.path = args.path;
    this.value = args.value;
  }
}

/** A hash read back from Redis lacks a field or holds a value this package never writes. */
export class StoredStateError extends RedisStateError {
  readonly key: string;
  readonly field: string;
  readonly value: unknown;

  constructor(args: { key: string; field: string; value: unknown }) {
    super(`stored ${args.key} field ${args.field} was ${describeValue(args.value)}`, { retriable: false });
    this.key = args.key;
    this.field = args.field;
    this.value = args.value;
  }
}

/** A calculator id or key prefix that would break the key layout (e.g. it contains `{` or `}`). */
export class InvalidKeyPartError extends RedisStateError {
  readonly part: string;
  readonly value: string;

  constructor(args: { part: string; value: string; reason: string }) {
    super(`${args.part} was ${JSON.stringify(args.value)}: ${args.reason}`, { retriable: false });
    this.part = args.part;
    this.value = args.value;
  }
}

/** The store was used after `close()`. A bug in the caller's shutdown order. */
export class StateStoreClosedError extends RedisStateError {
  readonly calculatorId: string;

  constructor(args: { calculatorId: string; operation: string }) {
    super(`state store of calculator ${args.calculatorId} was closed before ${args.operation}`, {
      retriable: false,
    });
    this.calculatorId = args.calculatorId;
  }
}

// Server replies that mean "not now" rather than "no": loading a dump, a script running too
// long, a cluster resharding or failing over, a replica that lost its master.
const RETRIABLE_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|MOVED|ASK)\b/;

/**
 * ioredis reports server refusals as `ReplyError` and everything else (refused or reset sockets,
 * "Connection is closed.", MaxRetriesPerRequestError) as plain errors: those are the connection
 * failures a retry can outlast.
 */
export function isRetriableRedisFailure(cause: unknown): boolean {
  if (cause instanceof RedisStateError) return cause.retriable;
  if (!(cause instanceof Error)) return false;
  if (cause.name === 'ReplyError') return RETRIABLE_REPLY.test(cause.message);
  if (cause instanceof TypeError || cause instanceof RangeError || cause instanceof SyntaxError) return false;
  return true;
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  try {
    const text = JSON.stringify(value) ?? String(value);
    // Engine JSON can be megabytes; the message needs only enough to recognise it.
    return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
  } catch {
    return String(value);
  }
}
