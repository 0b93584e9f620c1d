/** Why a row of a closes CSV was refused. */
export type ClosesCsvProblem =
  | 'missing_header_column'
  | 'wrong_field_count'
  | 'invalid_date'
  | 'invalid_close'
  | 'non_positive_close'
  | 'date_not_increasing'
  | 'too_few_closes'
  | 'empty_file';

export interface ClosesCsvErrorDetails {
  /** Path of the file as the user gave it (or a label such as `<stdin>`). */
  readonly file: string;
  /** 1-based line number; the header is line 1. */
  readonly line: number;
  readonly problem: ClosesCsvProblem;
  /** The offending field or line, as read. */
  readonly value: string;
  /** Column name the value was read from, when the problem is about one field. */
  readonly column?: string;
}

/**
 * A closes CSV could not be read. Not retriable: the file has to be fixed. The message names the
 * file, line and offending value so the user can open the file at that line.
 */
export class ClosesCsvError extends Error implements ClosesCsvErrorDetails {
  readonly retriable = false;
  readonly file: string;
  readonly line: number;
  readonly problem: ClosesCsvProblem;
  readonly value: string;
  readonly column?: string;

  constructor(details: ClosesCsvErrorDetails, explanation: string) {
    super(`${details.file}:${details.line}: ${explanation}`);
    this.name = 'ClosesCsvError';
    this.file = details.file;
    this.line = details.line;
    this.problem = details.problem;
    this.value = details.value;
    if (details.column !== undefined) this.column = details.column;
  }
}
