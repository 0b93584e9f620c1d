// Constituents with weights and contributions for the feed and REST. The figures are the engine's
// (`constituentFigures`: market value exact, contribution and weight 24 dp half-even, as level
// records and official closes carry them), computed from the calculator's Redis projection here
// and from the level records' constituents in `constituent-table.ts`. Every figure is a string.
import { constituentFigures } from '@indexflow/index-engine';
import type { IndexProjection } from '@indexflow/redis-state';

export interface ConstituentView {
  readonly symbol: string;
  /** Index shares (q), as the calculator holds them. */
  readonly indexShares: string;
  /** Latest price in the constituent's currency; null before its first tick. */
  readonly price: string | null;
  /** CNY per unit of the constituent's currency (1 for CNY); null while an HKD rate is missing. */
  readonly fxRate: string | null;
  /** P × FX × q in CNY; null while unpriced. */
  readonly marketValue: string | null;
  /** MV / divisor, in index points, 24 dp half-even. Null while unpriced. */
  readonly contribution: string | null;
  /** MV / ΣMV, a fraction of 1, 24 dp half-even. Null while unpriced. */
  readonly weight: string | null;
}

/** Constituents of one index as of one level sequence, and where the figures came from. */
export interface ConstituentsSnapshot {
  readonly indexId: string;
  readonly sequence: number;
  /** `level-record`: from the level records' constituents; `projection`: from the Redis projection. */
  readonly source: 'level-record' | 'projection';
  readonly constituents: readonly ConstituentView[];
}

/** Computes weights and contributions from a projection; null when it has no divisor yet (not based). */
export function constituentsFromProjection(projection: IndexProjection): ConstituentsSnapshot | null {
  if (projection.divisor === null) return null;
  const { figures } = constituentFigures(projection.divisor, projection.constituents);
  return {
    indexId: projection.indexId,
    sequence: projection.sequence,
    source: 'projection',
    constituents: projection.constituents.map((c, i): ConstituentView => {
      const f = figures[i] ?? null;
      return {
        symbol: c.symbol,
        indexShares: c.indexShares,
        price: c.price,
        fxRate: c.fxRate,
        marketValue: f?.marketValue ?? null,
        contribution: f?.contribution ?? null,
        weight: f?.weight ?? null,
      };
    }),
  };
}
