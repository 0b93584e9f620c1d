import type { ReferencePriceRounding } from '../corporate-actions/reference-price.js';
import { Dec, formatPlain } from '../decimal.js';
import { tradingDayOf } from '../events/trading-date.js';
import { fromScaled, LEVEL_DECIMALS, mustScale, PRICE_DECIMALS, scaledToPlain } from '../fixed-point.js';
import { isCurrencyCode } from '../identifiers.js';
import type { CloseStateSnapshot } from './close-state.js';
import { addRoute, type EngineState } from './engine-state.js';
import { ConstituentBook } from './index-book.js';

/** Serialisable engine state: plain JSON, every decimal a plain string, exact. */
export interface EngineSnapshot {
  readonly format: 1;
  readonly lastEventTime: number | null;
  readonly tradingDate: string | null;
  readonly fx: ReadonlyArray<{ pair: string; rate: string; eventTime: number; observationId: string }>;
  readonly symbols: ReadonlyArray<{
    symbol: string;
    lastPrice: string | null;
    lastEventTime: number;
    lastSequence?: number;
  }>;
  readonly indices: ReadonlyArray<IndexSnapshot>;
  /** Official-close bookkeeping (closed dates, last closes, day references, fixings); absent in older snapshots. */
  readonly closes?: CloseStateSnapshot;
  /** Adjustment ids applied at the last adjustment instant (duplicates refused); absent in older snapshots. */
  readonly adjustments?: { readonly time: number; readonly ids: readonly string[] };
}

export interface IndexSnapshot {
  readonly id: string;
  readonly divisor: string | null;
  readonly initialLevel: string | null;
  readonly referencePriceRounding: ReferencePriceRounding;
  readonly withholdingRate: string | null;
  readonly sequence: number;
  readonly lastLevelTime?: number | null;
  readonly level: string | null;
  readonly prevClose: string | null;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly totalReturn: {
    trBase: string;
    ntrBase: string;
    levelBase: string;
    dividendPoints: string;
    netDividendPoints: string;
    withholdingRate: string;
  } | null;
  readonly totalReturnLevel: string | null;
  readonly netTotalReturnLevel: string | null;
  readonly constituents: ReadonlyArray<{
    symbol: string;
    currency: string;
    indexShares: string;
    price: string | null;
    fxRate: string | null;
  }>;
}

/** The snapshot does not fit the engine's definitions or format; carries the offending value. */
export class SnapshotRestoreError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`cannot restore engine snapshot: ${message} (${field} was ${JSON.stringify(value)})`);
    this.name = 'SnapshotRestoreError';
  }
}

const level = (scaled: bigint | null) => (scaled === null ? null : scaledToPlain(scaled, LEVEL_DECIMALS));
const dec = (value: Dec | null) => (value === null ? null : formatPlain(value));

export function snapshotState(state: EngineState): EngineSnapshot {
  return {
    format: 1,
    lastEventTime: Number.isFinite(state.lastEventTime) ? state.lastEventTime : null,
    tradingDate: state.tradingDate,
    ...(state.adjustments.ids.size === 0
      ? {}
      : { adjustments: { time: state.adjustments.time, ids: [...state.adjustments.ids] } }),
    fx: state.fx.snapshot(),
    symbols: [...state.symbols.entries()].map(([symbol, s]) => ({
      symbol,
      lastPrice: s.lastPrice === null ? null : formatPlain(fromScaled(s.lastPrice, PRICE_DECIMALS)),
      lastEventTime: s.lastEventTime,
      ...(s.lastSequence === undefined ? {} : { lastSequence: s.lastSequence }),
    })),
    indices: [...state.books.values()].map((book) => {
      const tr = book.totalReturn;
      return {
        id: book.id,
        divisor: dec(book.divisor),
        initialLevel: dec(book.initialLevel),
        referencePriceRounding: book.referencePriceRounding,
        withholdingRate: dec(book.withholdingRate),
        sequence: book.sequence,
        lastLevelTime: book.lastLevelTime,
        level: level(book.levelScaled),
        prevClose: level(book.prevCloseScaled),
        open: level(book.openScaled),
        high: level(book.highScaled),
        low: level(book.lowScaled),
        totalReturn:
          tr === null
            ? null
            : {
                trBase: formatPlain(tr.trBase),
                ntrBase: formatPlain(tr.ntrBase),
                levelBase: formatPlain(tr.levelBase),
                dividendPoints: formatPlain(tr.dividendPoints),
                netDividendPoints: formatPlain(tr.netDividendPoints),
                withholdingRate: formatPlain(tr.withholdingRate),
              },
        totalReturnLevel: dec(book.totalReturnLevel),
        netTotalReturnLevel: dec(book.netTotalReturnLevel),
        constituents: [...book.constituents.values()].map((c) => ({
          symbol: c.symbol,
          currency: c.currency,
          indexShares: formatPlain(c.indexShares),
          price: dec(c.price),
          fxRate: dec(c.fxRate),
        })),
      };
    }),
  };
}

function isSnapshot(value: unknown): value is EngineSnapshot {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 1;
}

const scaledLevel = (text: string | null, field: string) =>
  text === null ? null : mustScale(new Dec(text), LEVEL_DECIMALS, field);

/**
 * Restores a snapshot into an engine freshly built from the same definitions: constituents,
 * shares, prices, divisor, sequences and session state come from the snapshot (actions may have
 * changed them since the definitions were written); options such as rounding come from both.
 */
export function restoreState(state: EngineState, raw: unknown): void {
  if (!isSnapshot(raw))
    throw new SnapshotRestoreError(
      'format',
      (raw as { format?: unknown } | null)?.format,
      'unknown snapshot format',
    );
  state.lastEventTime = raw.lastEventTime ?? Number.NEGATIVE_INFINITY;
  state.tradingDate = raw.tradingDate;
  state.adjustments = raw.adjustments
    ? { time: raw.adjustments.time, ids: new Set(raw.adjustments.ids) }
    : { time: Number.NEGATIVE_INFINITY, ids: new Set() };
  if (raw.lastEventTime !== null) {
    const day = tradingDayOf(raw.lastEventTime);
    state.dayStart = day.start;
    state.dayEnd = day.end;
  }
  for (const quote of raw.fx)
    state.fx.update(quote.pair, new Dec(quote.rate), quote.eventTime, quote.observationId);
  state.symbols.clear();
  for (const s of raw.symbols) {
    state.symbols.set(s.symbol, {
      lastPrice:
        s.lastPrice === null
          ? null
          : mustScale(new Dec(s.lastPrice), PRICE_DECIMALS, `last price of ${s.symbol}`),
      lastEventTime: s.lastEventTime,
      lastSequence: s.lastSequence,
    });
  }
  state.routing.clear();
  for (const snap of raw.indices) {
    const book = state.books.get(snap.id);
    if (!book)
      throw new SnapshotRestoreError(
        'indices[].id',
        snap.id,
        'the snapshot holds an index the definitions do not',
      );
    for (const symbol of [...book.constituents.keys()]) book.removeConstituent(symbol);
    for (const c of snap.constituents) {
      if (!isCurrencyCode(c.currency))
        throw new SnapshotRestoreError(`${snap.id}.${c.symbol}.currency`, c.currency, 'unknown currency');
      const constituent = new ConstituentBook(c.symbol, c.currency, new Dec(c.indexShares));
      constituent.fxRate = c.fxRate === null ? null : new Dec(c.fxRate);
      constituent.price = c.price === null ? null : new Dec(c.price);
      book.addConstituent(constituent);
    }
    book.divisor = snap.divisor === null ? null : new Dec(snap.divisor);
    book.sequence = snap.sequence;
    book.lastLevelTime = snap.lastLevelTime ?? null;
    book.levelScaled = scaledLevel(snap.level, `${snap.id}.level`);
    book.prevCloseScaled = scaledLevel(snap.prevClose, `${snap.id}.prevClose`);
    book.openScaled = scaledLevel(snap.open, `${snap.id}.open`);
    book.highScaled = scaledLevel(snap.high, `${snap.id}.high`);
    book.lowScaled = scaledLevel(snap.low, `${snap.id}.low`);
    if (snap.totalReturn !== null && book.totalReturn !== null) {
      const tr = snap.totalReturn;
      book.totalReturn = {
        withholdingRate: new Dec(tr.withholdingRate),
        trBase: new Dec(tr.trBase),
        ntrBase: new Dec(tr.ntrBase),
        levelBase: new Dec(tr.levelBase),
        dividendPoints: new Dec(tr.dividendPoints),
        netDividendPoints: new Dec(tr.netDividendPoints),
      };
    }
  }
  for (const book of state.books.values())
    for (const c of book.constituents.values()) addRoute(state, book, c);
}
