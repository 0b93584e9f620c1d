import { compareEvents, type IndexEvent, type SessionEvent } from '@indexflow/index-engine';
import type { DatasetIssue } from './dataset-report.js';
import { readActions } from './read-actions.js';
import { readFxRates, readTicks } from './read-market-events.js';
import { shanghaiDate, shanghaiMidnight } from './timestamps.js';

/**
 * The dataset as one stream in canonical order: FX and ticks merged by `compareEvents` (FX first
 * at equal times), each ex-date's actions at 00:00 Asia/Shanghai before any event of that date,
 * and a session `open` whenever the Asia/Shanghai date changes, so the previous close rolls.
 */
export function* datasetEvents(datasetDir: string, report: (issue: DatasetIssue) => void): Generator<IndexEvent> {
  const actions = readActions(datasetDir, report);
  const fx = readFxRates(datasetDir, report);
  const ticks = readTicks(datasetDir, report);
  let fxHead = fx.next();
  let tickHead = ticks.next();
  let actionIndex = 0;
  let date: string | null = null;
  for (;;) {
    let market: IndexEvent | null = null;
    if (!fxHead.done && (tickHead.done || compareEvents(fxHead.value, tickHead.value) <= 0)) market = fxHead.value;
    else if (!tickHead.done) market = tickHead.value;
    const action = actions[actionIndex];
    const next = action !== undefined && (market === null || action.eventTime <= market.eventTime) ? action : market;
    if (next === null) return;
    const nextDate = shanghaiDate(next.eventTime);
    if (nextDate !== date) {
      date = nextDate;
      const open: SessionEvent = { kind: 'session', phase: 'open', tradingDate: date, eventTime: shanghaiMidnight(date)! };
      yield open;
    }
    yield next;
    if (next === action) actionIndex += 1;
    else if (next === market && !fxHead.done && next === fxHead.value) fxHead = fx.next();
    else tickHead = ticks.next();
  }
}
