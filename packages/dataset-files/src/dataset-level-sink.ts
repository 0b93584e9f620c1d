import type { IndexEvent, IndexLevel, OfficialClose } from '@indexflow/index-engine';
import type { InputOffsets, LevelSink, OutputTransaction, RejectedRecord } from '@indexflow/pipeline';
import type { DatasetIssue } from './dataset-report.js';
import { actionLineOf } from './read-actions.js';

export interface DatasetLevelSinkOptions {
  /** Each level in engine order (e.g. `LevelsCsvWriter.write`). */
  readonly onLevel: (level: IndexLevel) => void;
  /** Each official close (e.g. `ClosesFileWriter.write`). */
  readonly onClose?: (close: OfficialClose) => void;
  /** Each refused row or event, with its file and line. */
  readonly onIssue?: (issue: DatasetIssue) => void;
}

/**
 * The offline replay's LevelSink: a committed batch's closes and levels go to the callbacks (the
 * levels CSV and closes file writers), its rejected records become DatasetIssues at their file and
 * line. Writes are not transactional: the replay never resumes, so nothing is rolled back.
 */
export class DatasetLevelSink implements LevelSink {
  levels = 0;
  closes = 0;
  #offsets: InputOffsets | null = null;

  constructor(private readonly options: DatasetLevelSinkOptions) {}

  async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await staged;
    for (const close of transaction.closes ?? []) this.options.onClose?.(close);
    this.closes += transaction.closes?.length ?? 0;
    for (const level of transaction.levels) this.options.onLevel(level);
    this.levels += transaction.levels.length;
    for (const record of transaction.rejected) this.options.onIssue?.(issueOf(record));
    this.#offsets = transaction.offsets;
  }

  async committedOffsets(): Promise<InputOffsets | null> {
    return this.#offsets;
  }

  async close(): Promise<void> {}
}

/**
 * Where a rejected record came from: a refused event's own position (for one action of an actions
 * file, that action's line), else the record's topic (the file) and offset (the line of a bad row).
 */
export function issueOf(record: RejectedRecord): DatasetIssue {
  // The file pipeline's events are index events; the port types them as unknown.
  const event = record.event as IndexEvent | undefined;
  if (event === undefined)
    return { file: record.topic, line: Number(record.offset), reason: record.reason, detail: record.detail };
  const actionLine = record.actionIndex === undefined ? undefined : actionLineOf(event, record.actionIndex);
  return {
    file: event.position?.source ?? 'dataset',
    line: actionLine ?? event.position?.offset ?? 0,
    reason: record.reason,
    detail: record.detail,
  };
}
