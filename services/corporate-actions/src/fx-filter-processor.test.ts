import type { FxRateEvent, IndexEvent } from '@indexflow/index-engine';
import { fxEventToRecord, fxRecordToEvent } from '@indexflow/kafka';
import { describe, expect, it } from 'vitest';
import { fxFilterFactory, NotAnFxQuoteError } from './fx-filter-processor.js';

const RAW = 'indexflow.fx.raw:0';

/** A raw quote as the Kafka source decodes it from fx.raw at `offset`. */
const quote = (offset: number, pair: string, rate: string, eventTime: number, sequence: number) =>
  fxRecordToEvent({ pair, rate, eventTime, source: 'FEED', sequence }, { source: RAW, offset });

const rates = (events: readonly IndexEvent[] | undefined) =>
  (events ?? []).map((e) => {
    const record = fxEventToRecord(e as FxRateEvent);
    return `${record.rate}@${record.eventTime} ${record.source} #${record.sequence}`;
  });

describe('FxFilterProcessor', () => {
  it('derives the HKDCNY rate records the FX service has always published', () => {
    const filter = fxFilterFactory({ maxJump: '0.05' }).fresh();
    expect(rates(filter.apply(quote(0, 'HKDCNY', '0.92', 1_000, 1)).derived)).toEqual(['0.92@1000 FEED #1']);
    // The USD legs cross into a derived rate once both are there; it names its derivation.
    expect(filter.apply(quote(1, 'USDCNY', '7.2', 2_000, 1)).derived).toBeUndefined();
    expect(rates(filter.apply(quote(2, 'USDHKD', '7.8', 3_000, 1)).derived)).toEqual([
      '0.923076923077@3000 fx-filter:FEED:USDCNY:1/FEED:USDHKD:1 #3',
    ]);
  });

  it('refuses a jump and a replayed feed sequence, publishing nothing', () => {
    const filter = fxFilterFactory({ maxJump: '0.05' }).fresh();
    filter.apply(quote(0, 'HKDCNY', '0.92', 1_000, 7));
    const jump = filter.apply(quote(1, 'HKDCNY', '1.5', 2_000, 8));
    expect(jump.rejections.map((r) => r.reason)).toEqual(['fx_jump']);
    expect(jump.derived).toBeUndefined();
    const replayed = filter.apply(quote(2, 'HKDCNY', '0.921', 3_000, 7));
    expect(replayed.rejections.map((r) => r.reason)).toEqual(['duplicate_sequence']);
  });

  it('restored from its snapshot, decides and numbers as the filter that ran on', () => {
    const factory = fxFilterFactory({ maxJump: '0.05' });
    const live = factory.fresh();
    live.apply(quote(0, 'HKDCNY', '0.92', 1_000, 1));
    live.apply(quote(1, 'HKDCNY', '1.5', 2_000, 2));
    const restored = factory.restore(JSON.parse(JSON.stringify(live.snapshot())));
    const next = [quote(2, 'HKDCNY', '1.51', 3_000, 3), quote(3, 'HKDCNY', '1.52', 4_000, 4)];
    expect(next.map((q) => rates(restored.apply(q).derived))).toEqual(
      next.map((q) => rates(live.apply(q).derived)),
    );
  });

  it('reads FX quotes only', () => {
    const filter = fxFilterFactory({}).fresh();
    expect(() => filter.apply({ kind: 'tick', symbol: 'A', price: '1', eventTime: 0 })).toThrow(
      NotAnFxQuoteError,
    );
  });
});
