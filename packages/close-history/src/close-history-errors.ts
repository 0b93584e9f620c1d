/** A key part the close history cannot use; carries the offending value. Not retriable. */
export class CloseHistoryKeyError extends Error {
  readonly retriable = false;
  readonly part: string;
  readonly value: string;

  constructor(args: { part: string; value: string }) {
    super(`close history ${args.part} was ${JSON.stringify(args.value)}, which cannot be part of a key`);
    this.name = 'CloseHistoryKeyError';
    this.part = args.part;
    this.value = args.value;
  }
}

/** A stored close that is not an IndexClose record (a foreign writer, or corruption). */
export class StoredCloseError extends Error {
  readonly retriable = false;
  readonly key: string;
  readonly field: string;

  constructor(args: { key: string; field: string; cause: unknown }) {
    super(`stored close ${args.key} field ${args.field} is not an IndexClose record`, { cause: args.cause });
    this.name = 'StoredCloseError';
    this.key = args.key;
    this.field = args.field;
  }
}
