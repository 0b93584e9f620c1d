/** Shows a refused value as JSON, cut to 200 characters. */
export function echo(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * A calendar file (or bundled year) that cannot be used: names the file, the JSON path of the
 * field (`$.hk.halfDays[2]`), the offending value and why.
 */
export class CalendarFileError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${file}: ${path}: ${reason}; got ${echo(value)}`);
    this.name = 'CalendarFileError';
  }
}

/** A query the calendar cannot answer: a malformed date, or a search that found no trading day. */
export class CalendarQueryError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}; got ${echo(value)}`);
    this.name = 'CalendarQueryError';
  }
}
