import { compareEvents, type IndexEvent } from '@indexflow/index-engine';
import type { DatasetIssue } from './dataset-report.js';
import { readActions } from './read-actions.js';
import { readFxRates, readTicks } from './read-market-events.js';

/**
 * Re-orders each run of events with the same time into canonical order (by symbol or pair, then
 * line), so a file whose simultaneous rows are in any order replays like its Kafka copy does.
 */
function* canonicalTies<E extends IndexEvent>(events: Iterator<E>): Generator<E> {
  let group: E[] = [];
  for (let next = events.next(); !next.done; next = events.next()) {
    const event = next.value;
    if (group.length > 0 && group[0]!.eventTime !== event.eventTime) {
      if (group.length > 1) group.sort(compareEvents);
      yield* group;
      group = [];
    }
    group.push(event);
  }
  if (group.length > 1) group.sort(compareEvents);
  yield* group;
}

/**
 * The dataset as one stream in canonical order (`compareEvents`): FX and ticks merged (FX first
 * at equal times, simultaneous rows by symbol), each ex-date's actions at 00:00 Asia/Shanghai
 * before any event of that date. The engine opens each new trading date by itself.
 */
export function* datasetEvents(
  datasetDir: string,
  report: (issue: DatasetIssue) => void,
): Generator<IndexEvent> {
  const actions = readActions(datasetDir, report);
  const fx = canonicalTies(readFxRates(datasetDir, report));
  const ticks = canonicalTies(readTicks(datasetDir, report));
  let fxHead = fx.next();
  let tickHead = ticks.next();
  let actionIndex = 0;
  for (;;) {
    let market: IndexEvent | null = null;
    let fromFx = false;
    if (!fxHead.done && (tickHead.done || compareEvents(fxHead.value, tickHead.value) <= 0)) {
      market = fxHead.value;
      fromFx = true;
    } else if (!tickHead.done) market = tickHead.value;
    const action = actions[actionIndex];
    if (action !== undefined && (market === null || action.eventTime <= market.eventTime)) {
      yield action;
      actionIndex += 1;
      continue;
    }
    if (market === null) return;
    yield market;
    if (fromFx) fxHead = fx.next();
    else tickHead = ticks.next();
  }
}
