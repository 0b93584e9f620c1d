import { cut, echo, isBoundRefusal, parseBounded, rangeProblem } from '../bounded-decimal.js';
import {
  CAP_FACTOR_BOUND,
  DIVISOR_BOUND,
  INITIAL_LEVEL_BOUND,
  type NumberBound,
  SHARES_BOUND,
  WITHHOLDING_BOUND,
} from '../bounds.js';
import { applyIndexAdjustment } from '../corporate-actions/action-effects.js';
import { actionsOutside, indicesOf } from '../corporate-actions/adjustment-scope.js';
import type { CorporateAction } from '../corporate-actions/corporate-action.js';
import { Dec, ONE, ZERO } from '../decimal.js';
import {
  assertNever,
  type FxRateEvent,
  type IndexAdjustmentEvent,
  type IndexEvent,
  type SessionEvent,
  type TickEvent,
} from '../events/index-event.js';
import { tradingDayOf } from '../events/trading-date.js';
import { FX_DECIMALS, mustScale, SHARES_DECIMALS, toScaled } from '../fixed-point.js';
import { FxBook, SUPPORTED_FX_PAIRS } from '../fx/fx-book.js';
import { isFxRateRefusal, parseFxRate } from '../fx/fx-rate-text.js';
import { currencyOfSymbol, IDENTIFIER_RULE, isCurrencyCode, isValidIdentifier } from '../identifiers.js';
import type { IndexDefinition } from '../index-definition.js';
import type { IndexLevel, LevelTrigger } from '../index-level.js';
import { parseScaledPrice } from '../price-parser.js';
import type { Rejection } from '../rejection.js';
import type { ApplyResult } from './apply-result.js';
import { type CloseRule, CloseState } from './close-state.js';
import { parseCloseTime } from './close-time.js';
import type { EngineOptions } from './engine-options.js';
import { type EngineSnapshot, restoreState, snapshotState } from './engine-snapshot.js';
import { addRoute, type EngineState } from './engine-state.js';
import { fxRangeProblem, tickRangeProblem } from './event-range.js';
import { ConstituentBook, IndexBook } from './index-book.js';
import { emitLevel } from './level-record.js';
import type { OfficialClose } from './official-close.js';
import { previousCloseRule } from './previous-close.js';
import { priceRefusal } from './price-refusal.js';

/** A definition value for a message: strings quoted, anything cut to ~200 characters. */
function shown(value: unknown): string {
  return typeof value === 'string' ? echo(value) : cut(JSON.stringify(value) ?? 'undefined');
}

/** A definition the engine cannot run; thrown at construction, carrying the offending value. */
export class IndexDefinitionError extends Error {
  /** Why the value is refused, without the index id or the value (e.g. "must be positive"). */
  readonly reason: string;

  constructor(
    readonly indexId: string,
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`index ${cut(indexId)}: ${message} (${field} was ${shown(value)})`);
    this.name = 'IndexDefinitionError';
    this.reason = message;
  }
}

const FX_PAIRS: ReadonlySet<string> = new Set(SUPPORTED_FX_PAIRS);
const NO_LEVELS: IndexLevel[] = [];
/** Shared by every result without rejections (most of them); frozen so a caller cannot fill it. */
const NO_REJECTIONS = Object.freeze([]) as unknown as Rejection[];
const NOTHING: ApplyResult = { levels: NO_LEVELS, rejections: NO_REJECTIONS };

function decimalField(id: string, field: string, raw: string | undefined, bound: NumberBound): Dec | null {
  if (raw === undefined) return null;
  const value = parseBounded(raw, bound);
  if (isBoundRefusal(value)) throw new IndexDefinitionError(id, field, raw, value.detail);
  return value;
}

/** The close rule of a definition, checked: a bad close time is refused at construction. */
function closeRule(definition: IndexDefinition): CloseRule {
  const spec = definition.close;
  const closeMs = spec?.time === undefined ? null : parseCloseTime(spec.time);
  if (spec?.time !== undefined && closeMs === null) {
    throw new IndexDefinitionError(
      definition.id,
      'close.time',
      spec.time,
      'close.time must be HH:MM or HH:MM:SS',
    );
  }
  const source = spec?.fxFixingSource;
  if (source !== undefined && source === '') {
    throw new IndexDefinitionError(definition.id, 'close.fxFixingSource', source, 'must not be empty');
  }
  const previousClose = previousCloseRule(definition);
  if (previousClose !== null && 'reason' in previousClose) {
    const { field, value, reason } = previousClose;
    throw new IndexDefinitionError(definition.id, field, value, reason);
  }
  return { indexId: definition.id, closeMs, fxFixingSource: source ?? null, previousClose };
}

function buildBook(definition: IndexDefinition): IndexBook {
  const id = definition.id;
  if (definition.currency !== undefined && definition.currency !== 'CNY') {
    throw new IndexDefinitionError(id, 'currency', definition.currency, 'only CNY indices are supported');
  }
  if (!isValidIdentifier(id)) throw new IndexDefinitionError(id, 'id', id, IDENTIFIER_RULE);
  const initialLevel = decimalField(id, 'initialLevel', definition.initialLevel, INITIAL_LEVEL_BOUND);
  const divisor = decimalField(id, 'divisor', definition.divisor, DIVISOR_BOUND);
  if ((initialLevel === null) === (divisor === null)) {
    throw new IndexDefinitionError(
      id,
      'initialLevel/divisor',
      definition.initialLevel ?? null,
      'give exactly one of initialLevel or divisor',
    );
  }
  const withholding = decimalField(
    id,
    'totalReturn.withholdingRate',
    definition.totalReturn?.withholdingRate,
    WITHHOLDING_BOUND,
  );
  const book = new IndexBook(
    id,
    initialLevel,
    divisor,
    definition.referencePriceRounding ?? 'exact',
    withholding,
  );
  if (definition.totalReturn !== undefined) {
    book.totalReturn = {
      withholdingRate: withholding ?? ZERO,
      trBase: ZERO,
      ntrBase: ZERO,
      levelBase: ONE,
      dividendPoints: ZERO,
      netDividendPoints: ZERO,
    };
  }
  if (definition.constituents.length === 0) {
    throw new IndexDefinitionError(id, 'constituents', [], 'an index needs at least one constituent');
  }
  for (const c of definition.constituents) {
    if (!isValidIdentifier(c.symbol))
      throw new IndexDefinitionError(id, 'constituents.symbol', c.symbol, IDENTIFIER_RULE);
    const currency = c.currency ?? currencyOfSymbol(c.symbol);
    if (currency === null || !isCurrencyCode(currency)) {
      throw new IndexDefinitionError(
        id,
        `constituents[${c.symbol}].currency`,
        c.currency ?? c.symbol,
        'unknown currency',
      );
    }
    if (book.constituents.has(c.symbol)) {
      throw new IndexDefinitionError(id, 'constituents', c.symbol, 'duplicate constituent');
    }
    const shares = decimalField(id, `constituents[${c.symbol}].shares`, c.shares, SHARES_BOUND)!;
    const capFactor = decimalField(id, `constituents[${c.symbol}].capFactor`, c.capFactor, CAP_FACTOR_BOUND);
    const indexShares = capFactor ? shares.times(capFactor) : shares;
    if (toScaled(indexShares, SHARES_DECIMALS) === null || rangeProblem(indexShares, SHARES_BOUND) !== null) {
      throw new IndexDefinitionError(
        id,
        `constituents[${c.symbol}].${capFactor ? 'shares × capFactor' : 'shares'}`,
        capFactor ? indexShares.toFixed() : c.shares,
        `index shares must be within [${SHARES_BOUND.min.toString()}, ${SHARES_BOUND.max.toString()}] with at most ${SHARES_DECIMALS} decimal places`,
      );
    }
    book.addConstituent(new ConstituentBook(c.symbol, currency, indexShares));
  }
  return book;
}

/**
 * The pure index engine: events in canonical order in, levels and rejections out. No IO, no
 * clock, no randomness; the same events always give the same levels.
 */
export class IndexEngine {
  // Not readonly: a refused adjustment puts back the state from before it (see #applyAdjustment).
  #state: EngineState;
  readonly #options: EngineOptions;
  #closes: CloseState;
  readonly #definitions: readonly IndexDefinition[];

  constructor(definitions: readonly IndexDefinition[], options: EngineOptions = {}) {
    this.#options = options;
    this.#definitions = definitions;
    this.#state = {
      books: new Map(),
      routing: new Map(),
      symbols: new Map(),
      fx: new FxBook(),
      lastEventTime: Number.NEGATIVE_INFINITY,
      tradingDate: null,
      dayStart: Number.POSITIVE_INFINITY,
      dayEnd: Number.NEGATIVE_INFINITY,
      adjustments: { time: Number.NEGATIVE_INFINITY, ids: new Set() },
    };
    for (const definition of definitions) {
      if (this.#state.books.has(definition.id)) {
        throw new IndexDefinitionError(definition.id, 'id', definition.id, 'duplicate index id');
      }
      const book = buildBook(definition);
      this.#state.books.set(book.id, book);
      for (const constituent of book.constituents.values()) addRoute(this.#state, book, constituent);
    }
    this.#closes = new CloseState(definitions.map(closeRule), options.calendar);
  }

  /** The whole engine state as plain JSON (decimals as exact strings), for checkpoints. */
  snapshot(): EngineSnapshot {
    return { ...snapshotState(this.#state), closes: this.#closes.snapshot() };
  }

  /** An engine built from `definitions` and continued from a `snapshot()` of an earlier one. */
  static restore(
    definitions: readonly IndexDefinition[],
    snapshot: unknown,
    options: EngineOptions = {},
  ): IndexEngine {
    const engine = new IndexEngine(definitions, options);
    restoreState(engine.#state, snapshot);
    engine.#closes.restore(engine.#state, (snapshot as EngineSnapshot).closes);
    return engine;
  }

  get indexIds(): string[] {
    return [...this.#state.books.keys()];
  }

  /** Applies one event; events must arrive in `compareEvents` order (earlier times are refused). */
  apply(event: IndexEvent): ApplyResult {
    if (event.eventTime < this.#state.lastEventTime) {
      // An adjustment is applied at its effective instant or not at all: once later prices were
      // published, applying it would rebase the index at the wrong moment (restate with recompute).
      if (event.kind === 'index-adjustment')
        return this.#reject(
          event,
          'late',
          `adjustment for ${event.effectiveDate} (event time ${event.eventTime}) arrived after events up to ${this.#state.lastEventTime} were applied`,
          event.adjustmentId,
        );
      return this.#reject(
        event,
        'out_of_order',
        `event time ${event.eventTime} is before ${this.#state.lastEventTime}`,
      );
    }
    // Official closes whose instant this event's time has passed are taken from the state before
    // the event, so a print after the close (or the next date's first event) never moves them.
    let closes: OfficialClose[] | null = null;
    if (event.eventTime >= this.#closes.nextCloseAt) {
      const inclusive = event.kind === 'session' && event.phase === 'close';
      const due = this.#closes.closesDue(this.#state, event.eventTime, inclusive);
      if (due.length > 0) closes = due;
    }
    // Every event belongs to the Asia/Shanghai date of its time; the first event of a new date
    // opens it (previous close rolls), so live and replayed streams need no explicit session events.
    if (event.eventTime >= this.#state.dayEnd || event.eventTime < this.#state.dayStart) {
      this.#openTradingDate(tradingDayOf(event.eventTime));
      this.#closes.dateOpened(this.#state);
    }
    if (this.#closes.referencePending && event.kind !== 'index-adjustment') {
      this.#closes.takeReference(this.#state);
    }
    const result = this.#applyEvent(event);
    return closes === null ? result : { ...result, closes };
  }

  /**
   * The input promises that no event before `watermarkTime` is still to come (its producers'
   * watermark): every official close whose instant is before it is complete and is taken now,
   * instead of at the next event, so a quiet feed after the close still publishes it. These are
   * the closes, from the same state, that the next event would take: live and replay agree however
   * the input was cut. Nothing else changes; no level is published.
   */
  advanceWatermark(watermarkTime: number): ApplyResult {
    if (!(watermarkTime > this.#closes.nextCloseAt)) return NOTHING;
    const closes = this.#closes.closesDue(this.#state, watermarkTime, false);
    return closes.length === 0 ? NOTHING : { levels: NO_LEVELS, rejections: NO_REJECTIONS, closes };
  }

  #applyEvent(event: IndexEvent): ApplyResult {
    switch (event.kind) {
      case 'tick':
        return this.#applyTick(event);
      case 'fx-rate':
        return this.#applyFx(event);
      case 'index-adjustment':
        return this.#applyAdjustment(event);
      case 'session':
        return this.#applySession(event);
      default:
        return assertNever(event);
    }
  }

  /**
   * Each index takes an adjustment whole or not at all: when an action fails (an `add` without a
   * price, a delete of a symbol the index does not hold), the state from before the adjustment is
   * put back and it is applied again without any action that touches the indices the failure
   * concerns, so no index carries half a rebalance (its delete without its add). Other indices
   * take their actions as usual. Every failing action is reported, naming what was withheld.
   */
  #applyAdjustment(event: IndexAdjustmentEvent): ApplyResult {
    const applied = this.#state.adjustments;
    if (
      event.adjustmentId !== undefined &&
      applied.time === event.eventTime &&
      applied.ids.has(event.adjustmentId)
    ) {
      return this.#reject(
        event,
        'duplicate_adjustment',
        `adjustment ${event.adjustmentId} was already applied`,
        event.adjustmentId,
      );
    }
    // Adjustments are rare (one per ex-date); a snapshot is the exact, tested way back.
    const before = this.snapshot();
    const refused = new Set<string>();
    const failures: Array<{ rejection: Rejection; touched: string[] }> = [];
    let actions: readonly CorporateAction[] = event.actions;
    for (;;) {
      const attempt = this.#adjust({ ...event, actions });
      if (attempt.rejections.length === 0) {
        failures.sort((x, y) => (x.rejection.actionIndex ?? 0) - (y.rejection.actionIndex ?? 0));
        return { levels: attempt.levels, rejections: failures.map((f) => withheldNote(event, f, refused)) };
      }
      this.#putBack(before);
      const dropped = new Set<CorporateAction>();
      for (const rejection of attempt.rejections) {
        const action = actions[rejection.actionIndex ?? -1];
        // Not an action's failure: nothing can be kept apart, the adjustment is refused whole.
        if (action === undefined) return { levels: NO_LEVELS, rejections: attempt.rejections };
        const touched = indicesOf(this.#state, action);
        for (const id of touched) refused.add(id);
        dropped.add(action);
        failures.push({ rejection: { ...rejection, actionIndex: event.actions.indexOf(action) }, touched });
      }
      actions = actionsOutside(
        this.#state,
        actions.filter((a) => !dropped.has(a)),
        refused,
      );
    }
  }

  /** One attempt at an adjustment's actions on the live state. */
  #adjust(event: IndexAdjustmentEvent): ApplyResult {
    if (event.adjustmentId !== undefined) {
      const applied = this.#state.adjustments;
      if (applied.time !== event.eventTime) {
        applied.time = event.eventTime;
        applied.ids.clear();
      }
      applied.ids.add(event.adjustmentId);
    }
    this.#state.lastEventTime = event.eventTime;
    const levels: IndexLevel[] = [];
    const rejections = applyIndexAdjustment(this.#state, event, (affected) => {
      for (const book of affected)
        this.#emitIfReady(book, event.eventTime, 'index-adjustment', undefined, levels);
    });
    // An added or deleted HKD constituent can move an index's default close time.
    this.#closes.refresh(this.#state);
    return { levels, rejections };
  }

  /** Returns to a `snapshot()` of this engine, as `IndexEngine.restore` would build it. */
  #putBack(snapshot: EngineSnapshot): void {
    const restored = IndexEngine.restore(this.#definitions, snapshot, this.#options);
    this.#state = restored.#state;
    this.#closes = restored.#closes;
  }

  #reject(event: IndexEvent, reason: Rejection['reason'], detail: string, value?: string): ApplyResult {
    const rejection: Rejection = {
      reason,
      detail,
      eventTime: event.eventTime,
      ...(event.kind === 'tick' ? { symbol: event.symbol } : {}),
      ...(value === undefined ? {} : { value }),
    };
    return { levels: NO_LEVELS, rejections: [rejection] };
  }

  #applyTick(event: TickEvent): ApplyResult {
    // Price × 10^20 (PRICE_DECIMALS): plain decimal strings skip decimal.js (see price-parser.ts).
    const price = parseScaledPrice(event.price);
    if (typeof price !== 'bigint') return this.#reject(event, ...priceRefusal(price, event.price));
    const state = this.#state;
    const symbolState = state.symbols.get(event.symbol);
    if (
      symbolState?.lastSequence !== undefined &&
      event.sequence !== undefined &&
      event.sequence <= symbolState.lastSequence
    ) {
      return this.#reject(
        event,
        event.sequence === symbolState.lastSequence ? 'duplicate_sequence' : 'out_of_order',
        `sequence ${event.sequence} of ${event.symbol} is not after ${symbolState.lastSequence}`,
        String(event.sequence),
      );
    }
    const memberships = state.routing.get(event.symbol);
    if (memberships === undefined && this.#options.rejectUnknownSymbols) {
      return this.#reject(event, 'unknown_symbol', `${cut(event.symbol)} is in no index`, cut(event.symbol));
    }
    // A symbol outside the identifier set can never be added to an index, so its price is not
    // kept: otherwise a stream of garbage symbols would grow the symbol table without bound.
    if (memberships === undefined && !isValidIdentifier(event.symbol)) {
      return this.#reject(
        event,
        'unknown_symbol',
        `${echo(event.symbol)} is not a valid symbol (${IDENTIFIER_RULE})`,
        cut(event.symbol),
      );
    }
    if (memberships !== undefined && memberships[0]!.constituent.currency === 'HKD') {
      const fx = state.fx.hkdCny;
      if (fx === null) return this.#reject(event, 'missing_fx', `no HKDCNY rate yet for ${event.symbol}`);
      const maxAge = this.#options.fxMaxAgeMs;
      if (maxAge !== undefined && event.eventTime - fx.eventTime > maxAge) {
        return this.#reject(
          event,
          'stale_fx',
          `HKDCNY rate from ${fx.eventTime} is older than ${maxAge} ms at ${event.eventTime}`,
          fx.rate.toFixed(),
        );
      }
    }
    if (memberships !== undefined) {
      const range = tickRangeProblem(memberships, price);
      if (range !== null) return this.#reject(event, 'level_out_of_range', range, cut(event.price));
    }
    state.lastEventTime = event.eventTime;
    if (symbolState) {
      symbolState.lastPrice = price;
      symbolState.lastEventTime = event.eventTime;
      symbolState.lastSequence = event.sequence;
    } else {
      state.symbols.set(event.symbol, {
        lastPrice: price,
        lastEventTime: event.eventTime,
        lastSequence: event.sequence,
      });
    }
    if (memberships === undefined) return { levels: NO_LEVELS, rejections: NO_REJECTIONS };
    const levels: IndexLevel[] = [];
    for (let i = 0; i < memberships.length; i += 1) {
      const { book, constituent } = memberships[i]!;
      if (constituent.priceScaled === price) continue;
      book.setPrice(constituent, price);
      this.#emitIfReady(book, event.eventTime, 'tick', event.symbol, levels);
    }
    return { levels, rejections: NO_REJECTIONS };
  }

  #applyFx(event: FxRateEvent): ApplyResult {
    if (!FX_PAIRS.has(event.pair))
      return this.#reject(event, 'unknown_fx_pair', `pair was ${echo(event.pair)}`, cut(event.pair));
    const rate = parseFxRate(event.rate);
    if (isFxRateRefusal(rate)) return this.#reject(event, rate.reason, rate.detail, cut(event.rate));
    const state = this.#state;
    const isFixing = this.#closes.isFixingSource(event.source);
    const derived = isFixing
      ? this.#closes.fixingProblem(event.source!, event.pair, rate, event.eventTime)
      : state.fx.derivedProblem(event.pair, rate, event.eventTime);
    if (derived !== null) return this.#reject(event, 'fx_rate_out_of_range', derived, event.rate);
    const range = isFixing ? null : this.#fxRangeProblem(event.pair, rate, event.eventTime);
    if (range !== null) return this.#reject(event, 'level_out_of_range', range, event.rate);
    state.lastEventTime = event.eventTime;
    if (isFixing) {
      // A closing fixing is kept for the official close only: it does not move intraday levels.
      this.#closes.recordFixing(event.source!, event.pair, rate, event.eventTime, event.observationId);
      return { levels: NO_LEVELS, rejections: NO_REJECTIONS };
    }
    const changed = state.fx.update(event.pair, rate, event.eventTime, event.observationId);
    const fx = state.fx.hkdCny;
    if (!changed || fx === null) return { levels: NO_LEVELS, rejections: NO_REJECTIONS };
    const levels: IndexLevel[] = [];
    const fxScaled = mustScale(fx.rate, FX_DECIMALS, 'HKDCNY rate');
    for (const book of state.books.values()) {
      if (!book.hasHkd) continue;
      // An FX move is a market move: HKD constituents are revalued, the divisor stays (TV6).
      for (const constituent of book.constituents.values()) {
        if (constituent.currency === 'HKD') {
          book.repriceScaled(constituent, constituent.priceScaled, fxScaled, constituent.sharesScaled);
        }
      }
      this.#emitIfReady(book, event.eventTime, 'fx-rate', undefined, levels);
    }
    return { levels, rejections: NO_REJECTIONS };
  }

  /** Why the HKDCNY rate this quote would give moves an index out of its level range, or null. */
  #fxRangeProblem(pair: string, rate: Dec, eventTime: number): string | null {
    const effective = this.#state.fx.preview(pair, rate, eventTime);
    if (effective === null) return null;
    const fxScaled = toScaled(effective.rate, FX_DECIMALS);
    if (fxScaled === null) return null;
    for (const book of this.#state.books.values()) {
      if (!book.hasHkd) continue;
      const problem = fxRangeProblem(book, fxScaled);
      if (problem !== null) return problem;
    }
    return null;
  }

  #applySession(event: SessionEvent): ApplyResult {
    const state = this.#state;
    state.lastEventTime = event.eventTime;
    if (event.phase === 'open') {
      // The date was already opened by the event's time (see apply); an explicit open is a no-op.
      return { levels: NO_LEVELS, rejections: NO_REJECTIONS };
    }
    const levels: IndexLevel[] = [];
    for (const book of state.books.values())
      this.#emitIfReady(book, event.eventTime, 'session-close', undefined, levels);
    return { levels, rejections: NO_REJECTIONS };
  }

  #openTradingDate(day: { date: string; start: number; end: number }): void {
    const state = this.#state;
    const rolling = state.tradingDate !== null && state.tradingDate !== day.date;
    state.tradingDate = day.date;
    state.dayStart = day.start;
    state.dayEnd = day.end;
    if (!rolling) return;
    for (const book of state.books.values()) {
      const tr = book.totalReturn;
      if (tr !== null && book.levelScaled !== null) {
        // Kept in the engine's 80-digit context (the getters return 34-digit quotients), so a
        // restored snapshot, which parses them as Dec, chains on exactly the same arithmetic.
        tr.trBase = new Dec(book.totalReturnLevel!);
        tr.ntrBase = new Dec(book.netTotalReturnLevel!);
        tr.levelBase = book.level!;
        tr.dividendPoints = ZERO;
        tr.netDividendPoints = ZERO;
      }
      book.openScaled = null;
      book.highScaled = null;
      book.lowScaled = null;
    }
  }

  #emitIfReady(
    book: IndexBook,
    eventTime: number,
    trigger: LevelTrigger,
    symbol: string | undefined,
    out: IndexLevel[],
  ): void {
    if (!book.complete) return;
    if (book.divisor === null) {
      if (!book.fixBaseIfReady()) return;
      const tr = book.totalReturn;
      if (tr !== null) {
        tr.trBase = book.initialLevel!;
        tr.ntrBase = book.initialLevel!;
        tr.levelBase = book.initialLevel!;
      }
    } else if (book.totalReturn !== null && book.levelScaled === null) {
      // A given divisor: the total-return chain starts at the first level.
      const first = book.computeLevel();
      book.totalReturn.trBase = first;
      book.totalReturn.ntrBase = first;
      book.totalReturn.levelBase = first;
    }
    const maxAge = this.#options.fxMaxAgeMs;
    const fx = this.#state.fx.hkdCny;
    // Levels of an index with HKD constituents say when the HKDCNY rate they use has gone stale.
    book.fxStale = maxAge !== undefined && book.hasHkd && fx !== null && eventTime - fx.eventTime > maxAge;
    out.push(
      emitLevel(
        book,
        eventTime,
        trigger,
        symbol,
        this.#state.fx.hkdCny,
        this.#options.contributions ?? false,
      ),
    );
  }

  /** Event time of an index's last published level, or null before its first. */
  lastLevelTime(indexId: string): number | null {
    return this.#state.books.get(indexId)?.lastLevelTime ?? null;
  }

  /** Re-sums every index's market value from scratch and returns those that disagree with the running value. */
  verifyMarketValues(): Array<{ indexId: string; incremental: string; full: string }> {
    const mismatches: Array<{ indexId: string; incremental: string; full: string }> = [];
    for (const book of this.#state.books.values()) {
      const full = book.fullMarketValueScaled();
      if (full !== book.marketValueScaled) {
        mismatches.push({
          indexId: book.id,
          incremental: book.marketValue.toFixed(),
          full: book.fullMarketValue().toFixed(),
        });
      }
    }
    return mismatches;
  }

  /** The level of an index recomputed from scratch (Σ P·FX·q / D), or null before it is based. */
  fullRecomputeLevel(indexId: string): Dec | null {
    const book = this.#state.books.get(indexId);
    if (!book || book.divisor === null || !book.complete) return null;
    return book.fullMarketValue().div(book.divisor);
  }

  /** Read-only view of an index's state, for reports and tests. */
  describeIndex(indexId: string): IndexState | null {
    const book = this.#state.books.get(indexId);
    if (!book) return null;
    return {
      indexId: book.id,
      divisor: book.divisor,
      marketValue: book.marketValue,
      level: book.level,
      sequence: book.sequence,
      constituents: [...book.constituents.values()].map((c) => ({
        symbol: c.symbol,
        currency: c.currency,
        indexShares: c.indexShares,
        price: c.price,
        fxRate: c.fxRate,
      })),
    };
  }
}

export interface IndexState {
  readonly indexId: string;
  readonly divisor: Dec | null;
  readonly marketValue: Dec;
  readonly level: Dec | null;
  readonly sequence: number;
  readonly constituents: ReadonlyArray<{
    readonly symbol: string;
    readonly currency: string;
    readonly indexShares: Dec;
    readonly price: Dec | null;
    readonly fxRate: Dec | null;
  }>;
}

export function createIndexEngine(
  definitions: readonly IndexDefinition[],
  options: EngineOptions = {},
): IndexEngine {
  return new IndexEngine(definitions, options);
}

/** A failing action's rejection, saying which indices were left as they were before the adjustment. */
function withheldNote(
  event: IndexAdjustmentEvent,
  failure: { readonly rejection: Rejection; readonly touched: readonly string[] },
  refused: ReadonlySet<string>,
): Rejection {
  const kept = failure.touched.filter((id) => refused.has(id));
  if (kept.length === 0) return failure.rejection;
  return {
    ...failure.rejection,
    detail: `${failure.rejection.detail}; ${kept.join(', ')} left as before the adjustment of ${event.effectiveDate}: none of its actions there applied`,
  };
}
