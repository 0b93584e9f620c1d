import {
  constituentWeights,
  Dec,
  type IndexAdjustmentEvent,
  type IndexDefinition,
  IndexEngine,
  type IndexState,
  type OfficialClose,
  type Rejection,
} from '@indexflow/index-engine';

export interface ProformaConstituent {
  readonly symbol: string;
  readonly currency: string;
  /** Previous close before and the ex-rights reference price after (null when never traded). */
  readonly priceBefore: string | null;
  readonly priceAfter: string | null;
  readonly sharesBefore: string | null;
  readonly sharesAfter: string | null;
  /** Weight in the index at those prices, a fraction of 1, 24 dp half-even as in levels and closes; null when unpriced. */
  readonly weightBefore: string | null;
  readonly weightAfter: string | null;
  /**
   * The definition's cap factor (index shares = shares × cap factor), 1 when it gives none or the
   * constituent is new; re-capping is expressed as new index shares (a `shares_change`).
   */
  readonly capFactor: string;
}

/** What `date`'s actions do to one index, computed by the engine on a copy of its state. */
export interface IndexProforma {
  readonly indexId: string;
  readonly effectiveDate: string;
  readonly divisorBefore: string | null;
  readonly divisorAfter: string | null;
  /**
   * The index's last official close before the date (its trading date and level), when known.
   * `levelBefore` differs from it when FX moved after the close: the adjustment runs at 00:00 on
   * the prices of that close and the FX rate in force then.
   */
  readonly previousClose: { readonly date: string; readonly level: string } | null;
  readonly levelBefore: string | null;
  readonly levelAfter: string | null;
  readonly constituents: readonly ProformaConstituent[];
  /** Actions of the date the engine refused for this index (nothing else changes). */
  readonly rejections: readonly Rejection[];
}

function weights(state: IndexState): Map<string, string> {
  const inputs = state.constituents.map((c) => ({
    symbol: c.symbol,
    price: c.price?.toFixed() ?? null,
    fxRate: c.fxRate?.toFixed() ?? null,
    indexShares: c.indexShares.toFixed(),
  }));
  const out = new Map<string, string>();
  constituentWeights(inputs).forEach((weight, i) => {
    if (weight !== null) out.set(inputs[i]!.symbol, weight);
  });
  return out;
}

const plain = (value: Dec | null): string | null => (value === null ? null : value.toFixed());

const closeOf = (close: OfficialClose | undefined) =>
  close === undefined ? null : { date: close.tradingDate, level: new Dec(close.level).toFixed() };

/**
 * Applies an adjustment to a copy of `engine` (which holds the state at the previous close) and
 * reports, per index, divisor, level, shares, prices and weights before and after. The live
 * calculator applies the same actions with the same engine code at the same instant, so these are
 * the numbers it will use unless prices move first (they cannot: the adjustment is at 00:00).
 */
export function computeProforma(
  definitions: readonly IndexDefinition[],
  engine: IndexEngine,
  adjustment: IndexAdjustmentEvent,
  indexIds: readonly string[] = engine.indexIds,
  previousCloses: ReadonlyMap<string, OfficialClose> = new Map(),
): IndexProforma[] {
  const copy = IndexEngine.restore(definitions, engine.snapshot());
  const before = new Map(indexIds.map((id) => [id, copy.describeIndex(id)]));
  const { rejections } = copy.apply(adjustment);
  return indexIds.flatMap((indexId): IndexProforma[] => {
    const was = before.get(indexId);
    const now = copy.describeIndex(indexId);
    if (!was || !now) return [];
    const wBefore = weights(was);
    const wAfter = weights(now);
    const wasBySymbol = new Map(was.constituents.map((c) => [c.symbol, c]));
    const nowBySymbol = new Map(now.constituents.map((c) => [c.symbol, c]));
    const symbols = [...new Set([...wasBySymbol.keys(), ...nowBySymbol.keys()])];
    const definition = definitions.find((d) => d.id === indexId);
    const capFactors = new Map(definition?.constituents.map((c) => [c.symbol, c.capFactor ?? '1']) ?? []);
    return [
      {
        indexId,
        effectiveDate: adjustment.effectiveDate,
        divisorBefore: plain(was.divisor),
        divisorAfter: plain(now.divisor),
        previousClose: closeOf(previousCloses.get(indexId)),
        levelBefore: plain(was.level),
        levelAfter: plain(now.level),
        constituents: symbols.map((symbol) => {
          const b = wasBySymbol.get(symbol);
          const a = nowBySymbol.get(symbol);
          return {
            symbol,
            currency: (a ?? b)!.currency,
            priceBefore: plain(b?.price ?? null),
            priceAfter: plain(a?.price ?? null),
            sharesBefore: plain(b?.indexShares ?? null),
            sharesAfter: plain(a?.indexShares ?? null),
            weightBefore: wBefore.get(symbol) ?? null,
            weightAfter: wAfter.get(symbol) ?? null,
            capFactor: capFactors.get(symbol) ?? '1',
          };
        }),
        rejections: rejections.filter((r) => r.indexId === undefined || r.indexId === indexId),
      },
    ];
  });
}

/** True when the adjustment changes anything of this index (divisor, shares or membership). */
export function proformaChanges(proforma: IndexProforma): boolean {
  return (
    proforma.divisorBefore !== proforma.divisorAfter ||
    proforma.constituents.some((c) => c.sharesBefore !== c.sharesAfter || c.priceBefore !== c.priceAfter)
  );
}
