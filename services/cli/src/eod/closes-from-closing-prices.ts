import { CalendarCoverage, type DatasetIssue } from '@indexflow/dataset-files';
import { InMemoryEventSource, InMemoryLevelSink } from '@indexflow/in-memory';
import {
  closeInstantOf,
  closeVenues,
  compareEvents,
  currencyOfSymbol,
  Dec,
  type EngineOptions,
  type IndexAdjustmentEvent,
  type IndexDefinition,
  IndexEngine,
  type IndexEvent,
  type OfficialClose,
  parseCloseTime,
  tradingDayOf,
} from '@indexflow/index-engine';
import { DEFAULT_CALENDAR, type MarketCalendar } from '@indexflow/market-calendar';
import { createPipelineStats, NoRecoveryStateStore, runPipeline } from '@indexflow/pipeline';
import { EodInputError } from './eod-errors.js';
import type { ClosingFxRow, ClosingPriceRow } from './read-closing-prices.js';

export interface ClosingPricesInput {
  readonly definitions: readonly IndexDefinition[];
  readonly prices: readonly ClosingPriceRow[];
  readonly fx: readonly ClosingFxRow[];
  /** The dataset's actions.csv events (00:00 Asia/Shanghai of each ex-date). */
  readonly adjustments: readonly IndexAdjustmentEvent[];
  /** File names for positions and messages. */
  readonly pricesFile: string;
  readonly fxFile?: string;
  readonly engine?: EngineOptions;
  readonly onIssue: (issue: DatasetIssue) => void;
  /** The first closing price of a year the calendar does not cover, per venue (see CalendarCoverage). */
  readonly onCalendarGap?: (gap: { readonly at: string; readonly detail: string }) => void;
}

/**
 * The earliest close instant of any index on `date` (from the market calendar, so a half day's
 * close is earlier). Every closing price of the date is one tick at this instant, so it is in
 * every index's close (events at or before the instant count), whatever each index's own close.
 */
function tickInstant(
  definitions: readonly IndexDefinition[],
  date: string,
  calendar: MarketCalendar,
): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const d of definitions) {
    const explicit = d.close?.time === undefined ? null : parseCloseTime(d.close.time);
    const currencies = d.constituents.map((c) => c.currency ?? currencyOfSymbol(c.symbol));
    const venues = closeVenues(currencies.includes('CNY'), currencies.includes('HKD'));
    earliest = Math.min(earliest, closeInstantOf(date, explicit, venues, calendar));
  }
  return earliest === Number.POSITIVE_INFINITY ? closeInstantOf(date, null, ['ashare'], calendar) : earliest;
}

/** The HKDCNY rate of each date from the closing-prices file's FX column (HKD rows only). */
function rowFxRates(input: ClosingPricesInput): ClosingFxRow[] {
  const currency = new Map<string, string>();
  for (const d of input.definitions)
    for (const c of d.constituents) if (c.currency !== undefined) currency.set(c.symbol, c.currency);
  const byDate = new Map<string, ClosingFxRow>();
  for (const row of input.prices) {
    if (row.fx === undefined) continue;
    const where = { file: input.pricesFile, line: row.line };
    if ((currency.get(row.symbol) ?? currencyOfSymbol(row.symbol)) !== 'HKD') {
      // A CNY row may say 1 (CNY per CNY); any other rate there is a misaligned column.
      if (!/^\d+(\.\d+)?$/.test(row.fx) || !new Dec(row.fx).eq(1))
        throw new EodInputError({
          ...where,
          detail: `HKDCNY ${row.fx} on ${row.symbol}, which is not an HKD symbol`,
        });
      continue;
    }
    const earlier = byDate.get(row.date);
    if (earlier !== undefined && earlier.rate !== row.fx)
      throw new EodInputError({
        ...where,
        detail: `HKDCNY on ${row.date} was ${earlier.rate} (line ${earlier.line}) and ${row.fx}; one closing rate per date`,
      });
    byDate.set(row.date, { date: row.date, pair: 'HKDCNY', rate: row.fx, source: undefined, line: row.line });
  }
  return [...byDate.values()];
}

/**
 * Official closes from closing prices: per date, one FX rate per pair and one tick per symbol at
 * the earliest close instant, the dataset's actions at 00:00 of their ex-dates, all in canonical
 * order through the same engine and close rules as the calculator. A close of an index with
 * `initialLevel` is based at its first date's closing prices.
 *
 * Closing prices carry no intraday path, so each close's open, high and low are its level: the
 * levels the engine publishes between one day's ticks are artefacts of their order.
 */
export async function closesFromClosingPrices(input: ClosingPricesInput): Promise<OfficialClose[]> {
  const fromRows = rowFxRates(input);
  if (fromRows.length > 0 && input.fx.length > 0)
    throw new EodInputError({
      file: input.pricesFile,
      line: fromRows[0]!.line,
      detail: `give HKDCNY either in the closing-prices file or in ${input.fxFile ?? '--fx'}, not both`,
    });
  const calendar = input.engine?.calendar ?? DEFAULT_CALENDAR;
  const at = (date: string) => tickInstant(input.definitions, date, calendar);
  const dates = [...new Set(input.prices.map((r) => r.date))].sort();
  const lastDate = dates.at(-1);
  if (lastDate === undefined) return [];
  const events: IndexEvent[] = [];
  const fxFile = fromRows.length > 0 ? input.pricesFile : (input.fxFile ?? 'fx');
  const priceDates = new Set(dates);
  for (const r of [...fromRows, ...input.fx]) {
    // A rate of a date without closing prices is no close's rate; applied, it would revalue the
    // HKD constituents and publish a close for that date at the previous prices.
    if (!priceDates.has(r.date)) continue;
    events.push({
      kind: 'fx-rate',
      pair: r.pair,
      rate: r.rate,
      eventTime: at(r.date),
      position: { source: fxFile, offset: r.line },
      ...(r.source === undefined ? {} : { source: r.source }),
    });
  }
  // As the replay: a date the calendar does not cover closes at the regular time, with a warning.
  const coverage = new CalendarCoverage(calendar);
  for (const r of input.prices) {
    const tick = {
      kind: 'tick',
      symbol: r.symbol,
      price: r.price,
      eventTime: at(r.date),
      position: { source: input.pricesFile, offset: r.line },
    } as const;
    const uncovered = coverage.problem(tick);
    if (uncovered !== null) input.onCalendarGap?.({ at: `${input.pricesFile}:${r.line}`, detail: uncovered });
    events.push(tick);
  }
  for (const a of input.adjustments) {
    // A later ex-date belongs to a later run: applied now it would open a date with no prices.
    if (a.effectiveDate > lastDate) {
      input.onIssue({
        file: a.position?.source ?? 'actions.csv',
        line: a.position?.offset ?? 0,
        reason: 'after_last_date',
        detail: `actions of ${a.effectiveDate} are after the last closing-price date ${lastDate}; not applied`,
      });
      continue;
    }
    events.push(a);
  }
  events.sort(compareEvents);
  // The last date's closes are due once an event passes them; nothing follows, so a session
  // close at the end of that date takes them (inclusive of every close instant of the date).
  events.push({
    kind: 'session',
    phase: 'close',
    tradingDate: lastDate,
    eventTime: tradingDayOf(at(lastDate)).end - 1,
  });

  const closes = await runClosingEvents(input, events);
  reportUnpriced(input, closes);
  return closes;
}

/**
 * The events through the one pipeline, on in-memory ports: the closes (open, high and low set to
 * the level) and each rejection reported at its event's file and line, in event order.
 */
async function runClosingEvents(
  input: ClosingPricesInput,
  events: readonly IndexEvent[],
): Promise<OfficialClose[]> {
  const source = new InMemoryEventSource(events);
  const sink = new InMemoryLevelSink();
  await runPipeline({
    engine: new IndexEngine(input.definitions, input.engine ?? {}),
    source,
    sink,
    state: new NoRecoveryStateStore(),
    stats: createPipelineStats(),
    logger: { info() {}, warn() {} },
    batchSize: events.length + 1,
    batchWaitMs: 0,
    startVersion: 0,
    alreadyPublished: null,
    isStopping: () => source.exhausted,
  });
  for (const record of sink.deadLetters) {
    const event = record.event as IndexEvent | undefined;
    input.onIssue({
      file: event?.position?.source ?? 'closing-prices',
      line: event?.position?.offset ?? 0,
      reason: record.reason,
      detail: record.detail,
    });
  }
  return sink.closes.map((close) => ({ ...close, open: close.level, high: close.level, low: close.level }));
}

/** A constituent without a closing price on a date keeps its previous price: said, never silent. */
function reportUnpriced(input: ClosingPricesInput, closes: readonly OfficialClose[]): void {
  const priced = new Set(input.prices.map((r) => `${r.date} ${r.symbol}`));
  for (const close of closes)
    for (const c of close.constituents)
      if (!priced.has(`${close.tradingDate} ${c.symbol}`))
        input.onIssue({
          file: input.pricesFile,
          line: 0,
          reason: 'missing_closing_price',
          detail: `${close.indexId} ${close.tradingDate}: no closing price for ${c.symbol}; its previous price ${c.price} stands`,
        });
}
