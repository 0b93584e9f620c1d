import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import { createIndexEngine, type IndexLevel } from '@indexflow/index-engine';
import { levelToRecord } from '@indexflow/kafka';
import { buildProjection, parseIndexProjection } from '@indexflow/redis-state';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { constituentsFromProjection, constituentsFromRecord } from './constituents.js';

/** Runs the sample dataset through an engine that attaches contributions, up to `events` events. */
function engineAfter(events: number) {
  const engine = createIndexEngine(readIndexDefinitions(SAMPLE_DIR), { contributions: true });
  const latest = new Map<string, IndexLevel>();
  let n = 0;
  for (const event of datasetEvents(SAMPLE_DIR, () => {})) {
    for (const level of engine.apply(event).levels) latest.set(level.indexId, level);
    n += 1;
    if (n >= events) break;
  }
  return { engine, latest };
}

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
      const record = levelToRecord(level);
      const fromRecord = constituentsFromRecord(indexId, level.sequence, record.constituents!);
      expect(fromProjection.constituents).toEqual(fromRecord.constituents);
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
    expect(based.constituents).toEqual([
      expect.objectContaining({ symbol: 'A.SH', marketValue: '25', contribution: '0.025', weight: '1' }),
      expect.objectContaining({ symbol: 'B.HK', marketValue: null, contribution: null, weight: null }),
    ]);
  });
});
