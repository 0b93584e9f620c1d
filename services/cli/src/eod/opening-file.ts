import {
  type CorporateAction,
  constituentFigures,
  formatPlain,
  type IndexAdjustmentEvent,
  type IndexDefinition,
  IndexEngine,
  type IndexEvent,
  type IndexFigures,
  type IndexState,
} from '@indexflow/index-engine';
import type { IndexCloseRecord } from '@indexflow/kafka';
import { OpeningFileError } from './eod-errors.js';

export interface OpeningConstituent {
  readonly symbol: string;
  readonly currency: string;
  /** The ex-rights reference price (the closing price when no price action applies). */
  readonly referencePrice: string;
  readonly fxRate: string;
  readonly indexShares: string;
  /** referencePrice × fxRate × indexShares, exact. */
  readonly marketValue: string;
  /** marketValue / Σ marketValue, a fraction of 1, 24 dp half-even (as in the close). */
  readonly weight: string;
}

/** The next trading date's opening state of one index: its close with that date's actions applied. */
export interface OpeningFile {
  readonly indexId: string;
  readonly closeDate: string;
  readonly openingDate: string;
  readonly closeLevel: string;
  /** Σ(referencePrice × fxRate × indexShares) / divisor, 24 dp half-even; the close level unless a dividend applies. */
  readonly openingLevel: string;
  readonly divisorBefore: string;
  readonly divisor: string;
  readonly marketValue: string;
  /** Actions applied, in order (actions naming other indices or symbols the index does not hold are left out). */
  readonly actions: ReadonlyArray<{ readonly effectiveDate: string } & CorporateAction>;
  /** Ordered by symbol. */
  readonly constituents: readonly OpeningConstituent[];
}

export interface OpeningFileInput {
  readonly close: IndexCloseRecord;
  /** The first date after the close on which the index trades again (YYYY-MM-DD). */
  readonly openingDate: string;
  /** Adjustments in date order; those with close date < effective date ≤ opening date apply. */
  readonly adjustments: readonly IndexAdjustmentEvent[];
  /** From the index definition: how ex-rights reference prices round (default exact). */
  readonly referencePriceRounding?: IndexDefinition['referencePriceRounding'];
}

const bySymbol = (a: { symbol: string }, b: { symbol: string }) =>
  a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;

/** The engine's figures for a state (level, weights), its constituents ordered by symbol. */
function figuresOf(state: IndexState): { ordered: IndexState['constituents']; figures: IndexFigures } {
  const ordered = [...state.constituents].sort(bySymbol);
  const inputs = ordered.map((c) => ({
    symbol: c.symbol,
    price: formatPlain(c.price!),
    fxRate: formatPlain(c.fxRate!),
    indexShares: formatPlain(c.indexShares),
  }));
  return { ordered, figures: constituentFigures(formatPlain(state.divisor!), inputs) };
}

/** The close's state as engine events: one HKDCNY rate and one tick per constituent, at the close instant. */
function closeEvents(close: IndexCloseRecord): IndexEvent[] {
  const hkdRates = new Set(close.constituents.filter((c) => c.currency === 'HKD').map((c) => c.fxRate));
  if (hkdRates.size > 1)
    throw new OpeningFileError(
      `close of ${close.indexId} on ${close.tradingDate} values HKD constituents at ${[...hkdRates].join(' and ')}; one HKDCNY rate was expected`,
    );
  const t = close.closeTime;
  const fx: IndexEvent[] = [...hkdRates].map((rate) => ({
    kind: 'fx-rate',
    pair: 'HKDCNY',
    rate,
    eventTime: t,
  }));
  const ticks: IndexEvent[] = [...close.constituents]
    .sort(bySymbol)
    .map((c) => ({ kind: 'tick', symbol: c.symbol, price: c.price, eventTime: t }));
  return [...fx, ...ticks];
}

/**
 * The actions of an event that concern `indexId`: those naming it, and symbol-wide ones for a
 * symbol it holds at that point of the date (an earlier `add` of the date counts). The engine
 * holds this index only, so the rest would be refused as unknown index or symbol.
 */
function actionsFor(
  indexId: string,
  held: Set<string>,
  actions: readonly CorporateAction[],
): CorporateAction[] {
  const out: CorporateAction[] = [];
  for (const action of actions) {
    const mine = action.indexId === undefined ? held.has(action.symbol) : action.indexId === indexId;
    if (!mine) continue;
    out.push(action);
    if (action.type === 'add') held.add(action.symbol);
    if (action.type === 'delete') held.delete(action.symbol);
  }
  return out;
}

/**
 * Builds the opening constituent file with the engine itself: an engine holding only this index,
 * with the close's divisor and index shares, is priced at the closing prices and FX (checked to
 * reproduce the close level digit for digit), then the adjustments of the dates after the close
 * up to the opening date are applied as the calculator applies them at 00:00.
 */
export function buildOpeningFile(input: OpeningFileInput): OpeningFile {
  const { close } = input;
  if (!(input.openingDate > close.tradingDate))
    throw new OpeningFileError(
      `opening date ${input.openingDate} is not after the close date ${close.tradingDate}`,
    );
  const definition: IndexDefinition = {
    id: close.indexId,
    divisor: close.divisor,
    constituents: close.constituents.map((c) => ({
      symbol: c.symbol,
      shares: c.indexShares,
      currency: c.currency,
    })),
    ...(input.referencePriceRounding === undefined
      ? {}
      : { referencePriceRounding: input.referencePriceRounding }),
  };
  const engine = new IndexEngine([definition]);
  for (const event of closeEvents(close)) {
    const { rejections } = engine.apply(event);
    if (rejections.length > 0)
      throw new OpeningFileError(
        `close of ${close.indexId} on ${close.tradingDate}: ${rejections[0]!.detail}`,
      );
  }
  const atClose = engine.describeIndex(close.indexId)!;
  const reproduced = figuresOf(atClose).figures.level;
  if (reproduced !== close.level)
    throw new OpeningFileError(
      `close of ${close.indexId} on ${close.tradingDate} does not reproduce its level: ${reproduced} from its constituents, ${close.level} stored`,
    );
  const held = new Set(close.constituents.map((c) => c.symbol));
  const applied: Array<{ effectiveDate: string } & CorporateAction> = [];
  for (const event of input.adjustments) {
    if (event.effectiveDate <= close.tradingDate || event.effectiveDate > input.openingDate) continue;
    const actions = actionsFor(close.indexId, held, event.actions);
    if (actions.length === 0) continue;
    const { rejections } = engine.apply({ ...event, actions });
    if (rejections.length > 0)
      throw new OpeningFileError(
        `${close.indexId}: the engine refused actions of ${event.effectiveDate}: ${rejections.map((r) => `${r.reason}: ${r.detail}`).join('; ')}`,
      );
    for (const action of actions) applied.push({ effectiveDate: event.effectiveDate, ...action });
  }
  const opened = engine.describeIndex(close.indexId)!;
  const { ordered, figures } = figuresOf(opened);
  const constituents = ordered.map(
    (c, i): OpeningConstituent => ({
      symbol: c.symbol,
      currency: c.currency,
      referencePrice: formatPlain(c.price!),
      fxRate: formatPlain(c.fxRate!),
      indexShares: formatPlain(c.indexShares),
      marketValue: figures.figures[i]!.marketValue,
      weight: figures.figures[i]!.weight,
    }),
  );
  return {
    indexId: close.indexId,
    closeDate: close.tradingDate,
    openingDate: input.openingDate,
    closeLevel: close.level,
    openingLevel: figures.level,
    divisorBefore: close.divisor,
    divisor: formatPlain(opened.divisor!),
    marketValue: figures.marketValue,
    actions: applied,
    constituents,
  };
}

/** The next weekday after a date: the default opening date (there is no exchange holiday calendar). */
export function nextWeekday(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}
