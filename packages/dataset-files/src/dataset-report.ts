/** A refused input row or event, reported with its file and line. */
export interface DatasetIssue {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly detail: string;
}

export function formatIssue(issue: DatasetIssue): string {
  return `${issue.file}:${issue.line}: ${issue.reason}: ${issue.detail}`;
}

/** A dataset that cannot be replayed at all (missing directory, invalid index file). */
export class DatasetError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
    this.name = 'DatasetError';
  }
}

/**
 * An index file that cannot be loaded: `<file>: <field>: <reason>`, the value cut to ~200
 * characters. Every CLI command that loads index files exits 2 on it.
 */
export class IndexFileError extends DatasetError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(file, `${field}: ${reason}`, options);
    this.name = 'IndexFileError';
  }
}
