// Constituents with weights and contributions, computed the way the engine computes them
// (level-record.ts, contributionsOf): market value P × FX × q exact in `Dec` (80 significant digits,
// far more than the 20 + 12 + 12 decimal places of its factors need), contribution = MV / D and
// weight = MV / ΣMV as `LevelDec` quotients (34 significant digits, half-even). So a level the engine
// published with contributions and the same state read from the calculator's Redis projection give
// the same digits. Every figure leaves here as a decimal string.
import { Dec, LevelDec } from '@indexflow/index-engine';
import type { ConstituentContributionRecord } from '@indexflow/kafka';
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
  /** MV / divisor, in index points; the contributions add up to the level. Null while unpriced. */
  readonly contribution: string | null;
  /** MV / ΣMV, a fraction of 1. Null while unpriced. */
  readonly weight: string | null;
}

/** Constituents of one index as of one level sequence, and where the figures came from. */
export interface ConstituentsSnapshot {
  readonly indexId: string;
  readonly sequence: number;
  /** `level-record`: carried by the published level; `projection`: computed from the Redis projection. */
  readonly source: 'level-record' | 'projection';
  readonly constituents: readonly ConstituentView[];
}

const plain = (value: InstanceType<typeof Dec> | InstanceType<typeof LevelDec>): string => value.toFixed();

/** Computes weights and contributions from a projection; null when it has no divisor yet (not based). */
export function constituentsFromProjection(projection: IndexProjection): ConstituentsSnapshot | null {
  if (projection.divisor === null) return null;
  const divisor = new Dec(projection.divisor);
  const values = projection.constituents.map((c) =>
    c.price === null || c.fxRate === null
      ? null
      : new Dec(c.price).times(new Dec(c.fxRate)).times(new Dec(c.indexShares)),
  );
  const total = values.reduce<InstanceType<typeof Dec>>(
    (sum, value) => (value === null ? sum : sum.plus(value)),
    new Dec(0),
  );
  return {
    indexId: projection.indexId,
    sequence: projection.sequence,
    source: 'projection',
    constituents: projection.constituents.map((c, i): ConstituentView => {
      const value = values[i] ?? null;
      return {
        symbol: c.symbol,
        indexShares: c.indexShares,
        price: c.price,
        fxRate: c.fxRate,
        marketValue: value === null ? null : plain(value),
        contribution: value === null ? null : plain(LevelDec.div(value, divisor)),
        weight: value === null ? null : total.isZero() ? '0' : plain(LevelDec.div(value, total)),
      };
    }),
  };
}

/** The constituents a level record carries (engine run with contributions), as views. */
export function constituentsFromRecord(
  indexId: string,
  sequence: number,
  records: readonly ConstituentContributionRecord[],
): ConstituentsSnapshot {
  return {
    indexId,
    sequence,
    source: 'level-record',
    constituents: records.map((c) => ({
      symbol: c.symbol,
      indexShares: c.indexShares,
      price: c.price,
      fxRate: c.fxRate,
      marketValue: plain(new Dec(c.price).times(new Dec(c.fxRate)).times(new Dec(c.indexShares))),
      contribution: c.contribution,
      weight: c.weight,
    })),
  };
}
