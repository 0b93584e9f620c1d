import { overlongDetail, readLines } from '@indexflow/dataset-files';
import type { OfficialClose } from '@indexflow/index-engine';
import { closeToRecord, type IndexCloseRecord, requireCloseRecord } from '@indexflow/kafka';
import { EodInputError } from './eod-errors.js';

/** A close with every constituent is one JSON line: far longer than a CSV row may be (64 MiB). */
const MAX_CLOSE_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The close of one index and date from a JSON Lines file: `replay --closes` or `backfill --out`
 * output (engine closes), or stored IndexClose records. Lets the EOD files be made without Redis.
 */
export function readCloseFromFile(path: string, indexId: string, date: string): IndexCloseRecord | null {
  for (const { line, lineNumber, overlong } of readLines(path, MAX_CLOSE_LINE_BYTES)) {
    if (line === null) {
      const detail = overlongDetail(overlong, MAX_CLOSE_LINE_BYTES);
      throw new EodInputError({ file: path, line: lineNumber, detail });
    }
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new EodInputError({
        file: path,
        line: lineNumber,
        detail: 'not a JSON line (give the .jsonl closes)',
      });
    }
    let record: IndexCloseRecord;
    try {
      // An IndexClose record carries the index currency; an engine close does not.
      record =
        typeof value === 'object' && value !== null && 'currency' in value
          ? requireCloseRecord(value)
          : closeToRecord(requireCloseRecord(value) as unknown as OfficialClose);
    } catch (error) {
      throw new EodInputError({ file: path, line: lineNumber, detail: (error as Error).message });
    }
    if (record.indexId === indexId && record.tradingDate === date) return record;
  }
  return null;
}
