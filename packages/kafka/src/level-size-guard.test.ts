import { Dec, type IndexLevel } from '@indexflow/index-engine';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { createLevelSizeGuard, encodedBytes } from './level-size-guard.js';
import { levelToRecord } from './record-mapping.js';
import { loadSchemaFile } from './schema-files.js';

function level(marketValue: string): IndexLevel {
  return {
    indexId: '000300',
    eventTime: 1_700_000_000_000,
    sequence: 7,
    level: new Dec('1008.6292988784'),
    divisor: new Dec('123456.789'),
    marketValue: new Dec(marketValue),
    trigger: 'tick',
    symbol: '600519.SH',
    prevClose: null,
    open: new Dec('1001'),
    high: new Dec('1010'),
    low: new Dec('999.5'),
    fxObservationId: null,
    fxStale: false,
    totalReturnLevel: null,
    netTotalReturnLevel: null,
    contributions: null,
  } as unknown as IndexLevel;
}

describe('createLevelSizeGuard', () => {
  it('passes an ordinary level', () => {
    expect(createLevelSizeGuard()(level('124523456.7'))).toBeNull();
  });

  it('refuses a level whose record would exceed the limit, naming its estimated size', () => {
    const huge = level('9'.repeat(300_000));
    const problem = createLevelSizeGuard(256 * 1024)(huge);
    expect(problem).toMatch(/^its record would be ~30\d{4} bytes; at most 262144 are published$/);
  });

  it('estimates no less than the Avro encoding of the record', async () => {
    const type = avro.Type.forSchema(JSON.parse((await loadSchemaFile('index-level')).schema));
    for (const marketValue of ['124523456.7', '9'.repeat(5000)]) {
      const record = levelToRecord(level(marketValue));
      const actual = type.toBuffer(record).length;
      expect(encodedBytes(record)).toBeGreaterThanOrEqual(actual);
      expect(encodedBytes(record)).toBeLessThan(actual * 2 + 100);
    }
  });
});
