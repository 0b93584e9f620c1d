import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import { type ContributionsMode, createIndexEngine, type IndexLevel } from '@indexflow/index-engine';
import { type IndexLevelRecord, levelToRecord } from '@indexflow/kafka';
import { buildProjection, parseIndexProjection } from '@indexflow/redis-state';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { ConstituentTable } from './constituent-table.js';
import { constituentsFromProjection } from './constituents.js';

/** Runs the sample dataset through an engine, up to `events` events, calling `onLevel` per level. */
function engineAfter(events: number, mode: ContributionsMode = 'all', onLevel?: (level: IndexLevel) => void) {
  const engine = createIndexEngine(readIndexDefinitions(SAMPLE_DIR), { contributions: mode });
  const latest = new Map<string, IndexLevel>();
  let n = 0;
  for (const event of datasetEvents(SAMPLE_DIR, () => {})) {
    for (const level of engine.apply(event).levels) {
      latest.set(level.indexId, level);
      onLevel?.(level);
    }
    n += 1;
    if (n >= events) break;
  }
  return { engine, latest };
}

/** The figures of the constituents a record carries, in the gateway's view shape. */
const viewsOf = (record: IndexLevelRecord) =>
  record.constituents!.map(({ symbol, indexShares, price, fxRate, contribution, weight }) => ({
    symbol,
    indexShares,
    price,
    fxRate,
    contribution,
    weight,
  }));

const withoutMarketValue = (views: readonly { marketValue: string | null }[]) =>
  views.map(({ marketValue: _m, ...rest }) => rest);

describe('constituents from the Redis projection', () => {
  it('equals, digit for digit, the contributions and weights the engine publishes for the same state', () => {
    const { engine, latest } = engineAfter(400);
    const projection = buildProjection(engine.snapshot(), 1);
    expect(latest.size).toBeGreaterThan(0);
    for (const [indexId, level] of latest) {
      const entry = projection.indices.find((i) => i.member === indexId)!;
      const parsed = parseIndexProjection(`key:${indexId}`, indexId, entry.fields)!;
      expect(parsed.sequence).toBe(level.sequence);
      const fromProjection = constituentsFromProjection(parsed)!;
      const bySymbol = [...fromProjection.constituents].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
      expect(withoutMarketValue(bySymbol)).toEqual(viewsOf(levelToRecord(level)));
      expect(fromProjection.source).toBe('projection');
    }
  });

  it('leaves unpriced constituents without figures and is null before the index is based', () => {
    const { engine } = engineAfter(1);
    const projection = buildProjection(engine.snapshot(), 1);
    const entry = projection.indices[0]!;
    const parsed = parseIndexProjection('k', entry.member, entry.fields)!;
    expect(constituentsFromProjection(parsed)).toBeNull();
    const based = constituentsFromProjection({
      ...parsed,
      divisor: '1000',
      constituents: [
        { symbol: 'A.SH', indexShares: '10', price: '2.5', fxRate: '1' },
        { symbol: 'B.HK', indexShares: '10', price: '3', fxRate: null },
      ],
    })!;
    // 2.5 × 1 × 10 = 25; 25 / 1000 = 0.025 points; the only priced one weighs 1.
    expect(based.constituents).toEqual([
      expect.objectContaining({
        symbol: 'A.SH',
        marketValue: '25',
        contribution: '0.025000000000000000000000',
        weight: '1.000000000000000000000000',
      }),
      expect.objectContaining({ symbol: 'B.HK', marketValue: null, contribution: null, weight: null }),
    ]);
  });
});

describe('constituents from the level records (LEVEL_CONSTITUENTS=moved)', () => {
  it('keep, level after level, the table an engine publishing every constituent gives', () => {
    const all = new Map<string, IndexLevelRecord>();
    engineAfter(1500, 'all', (level) => all.set(`${level.indexId}:${level.sequence}`, levelToRecord(level)));
    const tables = new Map<string, ConstituentTable>();
    let checked = 0;
    let moved = 0;
    engineAfter(1500, 'moved', (level) => {
      const record = levelToRecord(level);
      moved += record.constituents!.length;
      const table = tables.get(level.indexId) ?? new ConstituentTable();
      tables.set(level.indexId, table);
      table.apply(record);
      const snapshot = table.snapshot()!;
      expect(snapshot.sequence).toBe(level.sequence);
      expect(withoutMarketValue(snapshot.constituents)).toEqual(
        viewsOf(all.get(`${level.indexId}:${level.sequence}`)!),
      );
      checked += 1;
    });
    expect(checked).toBe(all.size);
    expect(checked).toBeGreaterThan(100);
    // Most levels carry one constituent, not the index's dozen.
    expect(moved).toBeLessThan(checked * 2);
  }, 30_000);

  it('gives no table to a reader that missed the day’s first level, nor after a level without constituents', () => {
    const records: IndexLevelRecord[] = [];
    engineAfter(400, 'moved', (level) => records.push(levelToRecord(level)));
    const indexId = records[0]!.indexId;
    const ofIndex = records.filter((r) => r.indexId === indexId);
    // Two levels after the first: two ticked symbols of a dozen, which do not add up to the index.
    const late = new ConstituentTable();
    for (const record of ofIndex.slice(1, 3)) late.apply(record);
    expect(late.snapshot()).toBeNull();
    const table = new ConstituentTable();
    for (const record of ofIndex) table.apply(record);
    expect(table.snapshot()).not.toBeNull();
    table.apply({ ...ofIndex.at(-1)!, sequence: ofIndex.at(-1)!.sequence + 1, constituents: null });
    expect(table.snapshot()).toBeNull();
  });
});
