// An index's constituents as the level records tell them: each record carries the constituents its
// event moved (all of them on the index's first level of a trading day and on INDEX_ADJUSTMENT
// levels), so the last entry per symbol is the current input. Weights change with every level,
// so figures are computed when asked, by the engine, from those inputs and the latest divisor.
import { constituentFigures, sameDecimalText } from '@indexflow/index-engine';
import type { ConstituentContributionRecord, IndexLevelRecord } from '@indexflow/kafka';
import type { ConstituentsSnapshot, ConstituentView } from './constituents.js';

export class ConstituentTable {
  readonly #entries = new Map<string, ConstituentContributionRecord>();
  #latest: IndexLevelRecord | null = null;

  /** Takes a level record's constituents (a record without any leaves the table behind it). */
  apply(record: IndexLevelRecord): void {
    if (record.constituents === null) {
      this.#latest = null;
      return;
    }
    // An adjustment lists every constituent: a deleted one must leave the table.
    if (record.trigger === 'INDEX_ADJUSTMENT') this.#entries.clear();
    for (const c of record.constituents) this.#entries.set(c.symbol, c);
    this.#latest = record;
  }

  /**
   * The table as of the latest record, or null when it cannot be complete: the latest record
   * carried no constituents, or the inputs held do not add up to its market value (the reader
   * started after the day's first level, or missed an adjustment).
   */
  snapshot(): ConstituentsSnapshot | null {
    const latest = this.#latest;
    if (latest === null || this.#entries.size === 0) return null;
    const inputs = [...this.#entries.values()].sort((a, b) =>
      a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
    );
    const { marketValue, figures } = constituentFigures(latest.divisor, inputs);
    if (!sameDecimalText(marketValue, latest.marketValue)) return null;
    return {
      indexId: latest.indexId,
      sequence: latest.sequence,
      source: 'level-record',
      constituents: inputs.map((c, i): ConstituentView => {
        const f = figures[i]!;
        return {
          symbol: c.symbol,
          indexShares: c.indexShares,
          price: c.price,
          fxRate: c.fxRate,
          marketValue: f.marketValue,
          contribution: f.contribution,
          weight: f.weight,
        };
      }),
    };
  }
}
