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
