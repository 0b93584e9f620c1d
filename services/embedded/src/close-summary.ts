import {
  Dec,
  formatFixed,
  type OfficialClose,
  PRINTED_LEVEL_DECIMALS,
  tradingDayOf,
} from '@indexflow/index-engine';
import { type BoardLevel, changeCells } from './live-board.js';

type DayLevels = { last: BoardLevel; high: BoardLevel; low: BoardLevel };
/** What the summary reads of a close: the engine's OfficialClose, or a decoded index-close record. */
export type SummaryClose = Pick<OfficialClose, 'indexId' | 'tradingDate' | 'level' | 'prevClose'>;

/**
 * Each (trading date, index)'s official close, the previous one, change and % against it, with
 * the day's high and low, printed at the end.
 * The official close is the engine's close record (the state at the close instant, with the
 * closing FX); a date the run ended before closing shows its last level instead, marked.
 */
export class CloseSummary {
  readonly #days = new Map<string, DayLevels>();
  readonly #official = new Map<string, SummaryClose>();

  add(level: BoardLevel): void {
    const key = `${tradingDayOf(level.eventTime).date}|${level.indexId}`;
    const day = this.#days.get(key);
    if (!day) this.#days.set(key, { last: level, high: level, low: level });
    else {
      if (level.sequence > day.last.sequence) day.last = level;
      if (level.level.gt(day.high.level)) day.high = level;
      if (level.level.lt(day.low.level)) day.low = level;
    }
  }

  addClose(close: SummaryClose): void {
    this.#official.set(`${close.tradingDate}|${close.indexId}`, close);
  }

  table(): string {
    const lines = [
      'date        index              close    prev close      change        %         high          low  basis',
    ];
    let marked = false;
    const sorted = [...this.#days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [key, { last, high, low }] of sorted) {
      const [date, index] = key.split('|');
      const official = this.#official.get(key);
      const close = official === undefined ? last.level : new Dec(official.level);
      const prevText = official === undefined ? last.prevClose?.toFixed() : official.prevClose;
      const prev = prevText === null || prevText === undefined ? null : new Dec(prevText);
      const [change, pct] = changeCells(close, prev);
      if (official === undefined) marked = true;
      const prevCell = prev === null ? '—' : formatFixed(prev, PRINTED_LEVEL_DECIMALS);
      lines.push(
        `${date}  ${index!.padEnd(12)} ${formatFixed(close, PRINTED_LEVEL_DECIMALS).padStart(12)} ${prevCell.padStart(13)} ${change} ${pct} ${formatFixed(high.level, PRINTED_LEVEL_DECIMALS).padStart(12)} ${formatFixed(low.level, PRINTED_LEVEL_DECIMALS).padStart(12)}  ${official === undefined ? 'last level*' : 'official'}`,
      );
    }
    if (marked) lines.push("* the run ended before this date's close: its last level, not an official close");
    return lines.join('\n');
  }
}
