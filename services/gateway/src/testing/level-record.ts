import type { IndexLevelRecord } from '@indexflow/kafka';

/** 10:00 Asia/Shanghai on 2025-03-20: level `n` of a test index has event time this + n s. */
const T0 = Date.parse('2025-03-20T02:00:00Z');

/** An index-level record for gateway tests: level `1000.<sequence>`, no constituents. */
export function levelRecord(
  indexId: string,
  sequence: number,
  fields: Partial<IndexLevelRecord> = {},
): IndexLevelRecord {
  return {
    indexId,
    currency: 'CNY',
    eventTime: T0 + sequence * 1000,
    sequence,
    trigger: 'TICK',
    triggerSymbol: '600000.SH',
    level: `1000.${sequence}`,
    prevClose: '1000',
    change: `0.${sequence}`,
    changePercent: null,
    open: '1000',
    high: `1000.${sequence}`,
    low: '1000',
    divisor: '1',
    marketValue: '1',
    totalReturnLevel: null,
    netTotalReturnLevel: null,
    fxObservation: null,
    stale: false,
    constituents: null,
    ...fields,
  };
}
