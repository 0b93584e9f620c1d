import { readAnnouncements } from '@indexflow/corporate-actions';
import { shanghaiMidnight } from '@indexflow/dataset-files';
import type { CorporateAction, IndexAdjustmentEvent } from '@indexflow/index-engine';
import { EodInputError } from './eod-errors.js';

/**
 * Reads an actions file in the offline-replay `actions.csv` format at any path into one
 * adjustment event per ex-date (00:00 Asia/Shanghai), actions of a date in file order, dates
 * ascending: the events the replay would build. Unlike the replay, a bad row is an error,
 * because a published opening file must not silently skip an action.
 */
export function readActionsFile(path: string): IndexAdjustmentEvent[] {
  const byDate = new Map<string, { line: number; actions: CorporateAction[] }>();
  for (const row of readAnnouncements(path, 0)) {
    if ('problem' in row) throw new EodInputError({ file: path, line: row.line, detail: row.problem });
    const { exDate, action } = row.announcement;
    if (shanghaiMidnight(exDate) === null)
      throw new EodInputError({
        file: path,
        line: row.line,
        detail: `exDate was ${JSON.stringify(exDate)}, expected YYYY-MM-DD`,
      });
    const entry = byDate.get(exDate);
    if (entry) entry.actions.push(action);
    else byDate.set(exDate, { line: row.line, actions: [action] });
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([effectiveDate, { line, actions }]) => ({
      kind: 'index-adjustment' as const,
      effectiveDate,
      actions,
      eventTime: shanghaiMidnight(effectiveDate)!,
      position: { source: path, offset: line },
    }));
}
