import type { MarketCalendar } from '@indexflow/market-calendar';
import { Dec } from '../decimal.js';
import {
  FX_DECIMALS,
  LEVEL_DECIMALS,
  mustScale,
  PRICE_DECIMALS,
  SHARES_DECIMALS,
  scaledToPlain,
} from '../fixed-point.js';
import { FxBook } from '../fx/fx-book.js';
import { closeInstantOf, closeVenues } from './close-time.js';
import type { EngineState } from './engine-state.js';
import type { IndexBook } from './index-book.js';
import { buildOfficialClose, type OfficialClose, type ReferenceValue } from './official-close.js';
import type { PreviousCloseRule } from './previous-close.js';

/** How one index closes, from its definition. */
export interface CloseRule {
  readonly indexId: string;
  /** Explicit close time (ms after local midnight), or null for the default by currency. */
  readonly closeMs: number | null;
  readonly fxFixingSource: string | null;
  /** The definition's previous close, for the first trading date opened after its date. */
  readonly previousClose: PreviousCloseRule | null;
}

interface IndexCloseState {
  readonly rule: CloseRule;
  /** The last trading date whose close instant has passed (closed, or skipped as not calculable). */
  closedDate: string | null;
  /** Level × 10^24 of the last official close. */
  lastCloseScaled: bigint | null;
  /** Each constituent's price and FX in the last official close (the next date's reference). */
  closeInputs: Map<string, ReferenceValue> | null;
  /** Each constituent's price and shares when the current date opened, before its actions. */
  openMarks: Map<string, OpenMark> | null;
  /** Each constituent's reference price and FX for today's day contributions. */
  reference: Map<string, ReferenceValue> | null;
}

interface OpenMark {
  readonly price: bigint | null;
  readonly shares: bigint;
}

type ValueRows = ReadonlyArray<{ symbol: string; price: string | null; fxRate: string | null }>;

/** The close bookkeeping inside an engine snapshot: plain JSON, decimals as exact strings. */
export interface CloseStateSnapshot {
  readonly referencePending: boolean;
  readonly indices: ReadonlyArray<{
    id: string;
    closedDate: string | null;
    lastClose: string | null;
    closeInputs: ValueRows | null;
    openMarks: ReadonlyArray<{ symbol: string; price: string | null; shares: string }> | null;
    reference: ValueRows | null;
  }>;
  readonly fixings: ReadonlyArray<{
    source: string;
    quotes: ReadonlyArray<{ pair: string; rate: string; eventTime: number; observationId: string }>;
  }>;
}

const scaledOrNull = (text: string | null, decimals: number, what: string) =>
  text === null ? null : mustScale(new Dec(text), decimals, what);

function valueRows(values: ReadonlyMap<string, ReferenceValue> | null): ValueRows | null {
  if (values === null) return null;
  return [...values.entries()].map(([symbol, value]) => ({
    symbol,
    price: value.price === null ? null : scaledToPlain(value.price, PRICE_DECIMALS),
    fxRate: value.fx === null ? null : scaledToPlain(value.fx, FX_DECIMALS),
  }));
}

function valueMap(rows: ValueRows | null, what: string): Map<string, ReferenceValue> | null {
  if (rows === null) return null;
  return new Map(
    rows.map((r) => [
      r.symbol,
      {
        price: scaledOrNull(r.price, PRICE_DECIMALS, `${what} price of ${r.symbol}`),
        fx: scaledOrNull(r.fxRate, FX_DECIMALS, `${what} FX of ${r.symbol}`),
      },
    ]),
  );
}

/**
 * Decides when each index's official close is due and builds it. A close is due once event time
 * passes the close instant of the current trading date (or reaches it, for an explicit session
 * close event), and always before a later date opens. Everything it needs to neither repeat nor
 * skip a close after a restart is in `snapshot()`. The hot path pays one comparison per event
 * against `nextCloseAt`.
 */
export class CloseState {
  readonly #indices = new Map<string, IndexCloseState>();
  readonly #fixingSources: ReadonlySet<string>;
  /** The day's closing fixings by source; cleared when a date opens. */
  #fixings = new Map<string, FxBook>();
  #referencePending = false;
  /** Earliest close instant still due on the current trading date (+∞ when none is). */
  nextCloseAt = Number.POSITIVE_INFINITY;
  readonly #calendar: MarketCalendar | undefined;
  /** Close instants of the current date by venues and explicit time: refresh runs after every close. */
  #closeCache = new Map<string, number>();

  constructor(rules: readonly CloseRule[], calendar?: MarketCalendar) {
    this.#calendar = calendar;
    const sources = new Set<string>();
    for (const rule of rules) {
      this.#indices.set(rule.indexId, {
        rule,
        closedDate: null,
        lastCloseScaled: null,
        closeInputs: null,
        openMarks: null,
        reference: null,
      });
      if (rule.fxFixingSource !== null) sources.add(rule.fxFixingSource);
    }
    this.#fixingSources = sources;
  }

  get referencePending(): boolean {
    return this.#referencePending;
  }

  isFixingSource(source: string | undefined): boolean {
    return source !== undefined && this.#fixingSources.has(source);
  }

  /** Records a validated rate of a fixing source; it is the day's fixing, not a streamed rate. */
  /** Why recording this fixing would derive an HKDCNY fixing outside FX_RATE_BOUND, or null. */
  fixingProblem(source: string, pair: string, rate: Dec, eventTime: number): string | null {
    return (this.#fixings.get(source) ?? new FxBook()).derivedProblem(pair, rate, eventTime);
  }

  recordFixing(source: string, pair: string, rate: Dec, eventTime: number, observationId?: string): void {
    let book = this.#fixings.get(source);
    if (book === undefined) {
      book = new FxBook();
      this.#fixings.set(source, book);
    }
    book.update(pair, rate, eventTime, observationId);
  }

  #closeAt(book: IndexBook, date: string): number {
    const rule = this.#indices.get(book.id)!.rule;
    // Decided from the constituents held now, so an index that adds its first HK stock closes after HK.
    const venues = closeVenues(book.constituents.size > book.hkdCount, book.hasHkd);
    const key = `${date}|${venues.join()}|${rule.closeMs}`;
    let instant = this.#closeCache.get(key);
    if (instant === undefined) {
      if (this.#closeCache.size > 64) this.#closeCache.clear();
      instant = closeInstantOf(date, rule.closeMs, venues, this.#calendar);
      this.#closeCache.set(key, instant);
    }
    return instant;
  }

  /** Recomputes `nextCloseAt` (after a date opens, a close, an adjustment or a restore). */
  refresh(state: EngineState): void {
    let next = Number.POSITIVE_INFINITY;
    const date = state.tradingDate;
    if (date !== null) {
      for (const book of state.books.values()) {
        if (this.#indices.get(book.id)!.closedDate === date) continue;
        next = Math.min(next, this.#closeAt(book, date));
      }
    }
    this.nextCloseAt = next;
  }

  /**
   * A new trading date has opened: no fixing yet, and the day's references are to be taken once
   * its corporate actions are applied; each constituent's price and shares are marked now so those
   * actions can be told apart from trading after the previous close. Each index's previous close
   * (what its levels' change is against) is its last official close, not its last level: for an
   * index with HK names the last level moves with FX after the close.
   */
  dateOpened(state: EngineState): void {
    this.#fixings = new Map();
    this.#referencePending = true;
    for (const book of state.books.values()) {
      const entry = this.#indices.get(book.id)!;
      const marks = new Map<string, OpenMark>();
      for (const c of book.constituents.values())
        marks.set(c.symbol, { price: c.priceScaled, shares: c.sharesScaled });
      entry.openMarks = marks;
      const given = entry.rule.previousClose;
      // Only before the engine's first close: from then on its own closes are the previous ones.
      if (entry.closedDate === null && entry.lastCloseScaled === null && given !== null) {
        if (state.tradingDate !== null && given.date < state.tradingDate)
          entry.lastCloseScaled = given.scaled;
      }
      book.prevCloseScaled = entry.lastCloseScaled;
    }
    this.refresh(state);
  }

  /**
   * Takes each constituent's reference for the day: its price and FX in the previous official
   * close, or, when a corporate action of the date changed its price or shares (or added it), the
   * adjusted previous close the action set, at the previous close's FX. Called at the date's first
   * event that is not an adjustment: adjustments all come first, at 00:00.
   */
  takeReference(state: EngineState): void {
    this.#referencePending = false;
    for (const book of state.books.values()) {
      const entry = this.#indices.get(book.id)!;
      const reference = new Map<string, ReferenceValue>();
      for (const c of book.constituents.values()) {
        const closed = entry.closeInputs?.get(c.symbol);
        const mark = entry.openMarks?.get(c.symbol);
        const adjusted = mark === undefined || mark.price !== c.priceScaled || mark.shares !== c.sharesScaled;
        if (closed === undefined) reference.set(c.symbol, { price: null, fx: null });
        else if (adjusted) reference.set(c.symbol, { price: c.priceScaled, fx: closed.fx });
        else reference.set(c.symbol, closed);
      }
      entry.reference = reference;
      entry.openMarks = null;
    }
  }

  /**
   * The closes due at `eventTime`, in definition order: those whose instant is before it (or at
   * it when `inclusive`, for a session close event that follows the closing prints). An index
   * not calculable that day (not based, not fully priced, or no level published on the date) is
   * marked closed without a close.
   */
  closesDue(state: EngineState, eventTime: number, inclusive: boolean): OfficialClose[] {
    const date = state.tradingDate;
    const out: OfficialClose[] = [];
    if (date === null) return out;
    for (const book of state.books.values()) {
      const entry = this.#indices.get(book.id)!;
      if (entry.closedDate === date) continue;
      const instant = this.#closeAt(book, date);
      if (inclusive ? instant > eventTime : instant >= eventTime) continue;
      entry.closedDate = date;
      if (book.divisor === null || !book.complete || book.openScaled === null) continue;
      if (this.#referencePending) this.takeReference(state);
      const fixingSource = entry.rule.fxFixingSource;
      const fixing = fixingSource === null ? null : (this.#fixings.get(fixingSource)?.hkdCny ?? null);
      const { close, levelScaled, inputs } = buildOfficialClose({
        book,
        tradingDate: date,
        closeTime: instant,
        fixing: fixing === null ? null : { ...fixing, source: fixingSource! },
        streamed: state.fx.hkdCny,
        reference: entry.reference,
        prevCloseScaled: entry.lastCloseScaled,
      });
      entry.lastCloseScaled = levelScaled;
      entry.closeInputs = inputs;
      out.push(close);
    }
    this.refresh(state);
    return out;
  }

  snapshot(): CloseStateSnapshot {
    return {
      referencePending: this.#referencePending,
      indices: [...this.#indices.entries()].map(([id, entry]) => ({
        id,
        closedDate: entry.closedDate,
        lastClose:
          entry.lastCloseScaled === null ? null : scaledToPlain(entry.lastCloseScaled, LEVEL_DECIMALS),
        closeInputs: valueRows(entry.closeInputs),
        openMarks:
          entry.openMarks === null
            ? null
            : [...entry.openMarks.entries()].map(([symbol, mark]) => ({
                symbol,
                price: mark.price === null ? null : scaledToPlain(mark.price, PRICE_DECIMALS),
                shares: scaledToPlain(mark.shares, SHARES_DECIMALS),
              })),
        reference: valueRows(entry.reference),
      })),
      fixings: [...this.#fixings.entries()].map(([source, book]) => ({ source, quotes: book.snapshot() })),
    };
  }

  /** Restores `snapshot()`; a snapshot from before closes existed leaves every index unclosed. */
  restore(state: EngineState, raw: CloseStateSnapshot | undefined): void {
    if (raw !== undefined) {
      this.#referencePending = raw.referencePending;
      for (const snap of raw.indices) {
        const entry = this.#indices.get(snap.id);
        if (entry === undefined) continue;
        entry.closedDate = snap.closedDate;
        entry.lastCloseScaled = scaledOrNull(snap.lastClose, LEVEL_DECIMALS, `${snap.id} last close`);
        entry.closeInputs = valueMap(snap.closeInputs, `${snap.id} close input`);
        entry.reference = valueMap(snap.reference, `${snap.id} reference`);
        entry.openMarks =
          snap.openMarks === null
            ? null
            : new Map(
                snap.openMarks.map((m) => [
                  m.symbol,
                  {
                    price: scaledOrNull(m.price, PRICE_DECIMALS, `${snap.id} open price of ${m.symbol}`),
                    shares: mustScale(
                      new Dec(m.shares),
                      SHARES_DECIMALS,
                      `${snap.id} open shares of ${m.symbol}`,
                    ),
                  },
                ]),
              );
      }
      this.#fixings = new Map();
      for (const { source, quotes } of raw.fixings) {
        for (const q of quotes)
          this.recordFixing(source, q.pair, new Dec(q.rate), q.eventTime, q.observationId);
      }
    }
    this.refresh(state);
  }
}
