// Every error the gateway raises on purpose. Each carries the offending value and the HTTP status
// (or WebSocket error code) a client sees, so handlers decide from fields, not from message text.

/** Root of the gateway's own errors. */
export class GatewayError extends Error {
  /** HTTP status to answer with. */
  readonly statusCode: number;
  /** Stable machine-readable code, sent to clients as `code`. */
  readonly code: string;

  constructor(message: string, options: { statusCode: number; code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.statusCode = options.statusCode;
    this.code = options.code;
  }
}

/** No credential, or one that matches no desk. The credential itself is never put in the message. */
export class UnauthenticatedError extends GatewayError {
  constructor(readonly reason: string) {
    super(`not authenticated: ${reason}`, { statusCode: 401, code: 'unauthenticated' });
  }
}

/** The desk is authenticated but not entitled to the index. */
export class NotEntitledError extends GatewayError {
  constructor(
    readonly desk: string,
    readonly indexId: string,
  ) {
    super(`desk ${desk} is not entitled to index ${indexId}`, { statusCode: 403, code: 'not_entitled' });
  }
}

/** The gateway has never seen a level, nor a definition, of the index. */
export class UnknownIndexError extends GatewayError {
  constructor(readonly indexId: string) {
    super(`index ${indexId} is unknown to the gateway`, { statusCode: 404, code: 'unknown_index' });
  }
}

/** A client message that is not valid JSON of a known shape. */
export class BadClientMessageError extends GatewayError {
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`bad message: ${reason} (message was ${JSON.stringify(value.slice(0, 200))})`, {
      statusCode: 400,
      code: 'bad_message',
    });
  }
}

/** A query parameter outside its allowed form. */
export class BadQueryError extends GatewayError {
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${parameter} was ${JSON.stringify(value)}, expected ${expected}`, {
      statusCode: 400,
      code: 'bad_query',
    });
  }
}

/** The calculator's projection in Redis could not be read or had an unexpected shape. */
export class ProjectionReadError extends GatewayError {
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(`could not read the index projection at ${key}`, {
      statusCode: 503,
      code: 'projection_unavailable',
      cause,
    });
  }
}

/** The gateway holds no levels of the index for the date asked. */
export class NoHistoryError extends GatewayError {
  constructor(
    readonly indexId: string,
    readonly date: string | null,
  ) {
    super(`no history of index ${indexId} for ${date ?? 'any date'}`, {
      statusCode: 404,
      code: 'no_history',
    });
  }
}

/** The gateway process stopped before it listened: its start failed (the cause), or it was stopped. */
export class GatewayNotStartedError extends Error {
  constructor(
    readonly exitCode: number,
    cause: unknown,
  ) {
    super(
      `the gateway stopped (exit code ${exitCode}) before it listened${
        cause instanceof Error ? `: ${cause.message.slice(0, 200)}` : ''
      }`,
      cause === null ? undefined : { cause },
    );
    this.name = new.target.name;
  }
}
