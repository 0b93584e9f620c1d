import { formatFixed, tradingDayOf } from '@indexflow/index-engine';
import type { BoardLevel } from './live-board.js';

type DayLevels = { close: BoardLevel; high: BoardLevel; low: BoardLevel };

/** Each (trading date, index)'s last level, high and low, as levels arrive; printed at the end. */
export class CloseSummary {
  readonly #days = new Map<string, DayLevels>();

  add(level: BoardLevel): void {
    const key = `${tradingDayOf(level.eventTime).date}|${level.indexId}`;
    const day = this.#days.get(key);
    if (!day) this.#days.set(key, { close: level, high: level, low: level });
    else {
      if (level.sequence > day.close.sequence) day.close = level;
      if (level.level.gt(day.high.level)) day.high = level;
      if (level.level.lt(day.low.level)) day.low = level;
    }
  }

  table(): string {
    const lines = ['date        index              close    change %        high         low'];
    const sorted = [...this.#days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [key, { close, high, low }] of sorted) {
      const [date, index] = key.split('|');
      const prev = close.prevClose;
      const pct = prev === null ? '' : `${formatFixed(close.level.minus(prev).div(prev).times(100), 2)}%`;
      lines.push(
        `${date}  ${index!.padEnd(12)} ${formatFixed(close.level, 4).padStart(12)} ${pct.padStart(9)} ${formatFixed(high.level, 4).padStart(11)} ${formatFixed(low.level, 4).padStart(11)}`,
      );
    }
    return lines.join('\n');
  }
}
