import { readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexAdjustmentEvent, IndexEvent } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { registerAnnouncements, simulatedActionsOf, withAdjustments } from './action-stage.js';

const definitions = readIndexDefinitions(SAMPLE_DIR);
const bonus = (actionId: string, exDate: string, ratio: string) => ({
  actionId,
  exDate,
  action: { type: 'bonus' as const, symbol: '300017.SZ', ratio },
  announcedAt: 0,
});

describe('the embedded run’s corporate-actions stage', () => {
  it('publishes one adjustment per ex-date of the accepted announcements, and returns the refusals', () => {
    const { adjustments, refusals } = registerAnnouncements(
      definitions,
      [
        bonus('late', '2025-03-18', '0.1'),
        bonus('b2', '2025-03-21', '0.2'),
        bonus('b1', '2025-03-20', '0.4'),
        bonus('b1-again', '2025-03-20', '0.5'),
        {
          ...bonus('d1', '2025-03-20', '1'),
          action: { type: 'cash_dividend', symbol: '0700.HK', amount: '2.40' },
        },
      ],
      '2025-03-19',
    );
    expect(refusals.map((r) => [r.actionId, r.reason])).toEqual([
      ['late', 'ex_date_past'],
      ['b1-again', 'conflicting_action'],
    ]);
    expect(adjustments.map((a) => [a.effectiveDate, a.actions.map((x) => x.symbol)])).toEqual([
      ['2025-03-20', ['300017.SZ', '0700.HK']],
      ['2025-03-21', ['300017.SZ']],
    ]);
    expect(simulatedActionsOf(adjustments)).toEqual([
      { exDate: '2025-03-20', type: 'bonus', symbol: '300017.SZ', ratio: '0.4' },
      { exDate: '2025-03-20', type: 'cash_dividend', symbol: '0700.HK', amount: '2.40' },
      { exDate: '2025-03-21', type: 'bonus', symbol: '300017.SZ', ratio: '0.2' },
    ]);
  });

  it('puts each adjustment before the first event at or after its time, and the rest at the end', () => {
    const fx = (eventTime: number): IndexEvent => ({
      kind: 'fx-rate',
      pair: 'HKDCNY',
      rate: '0.92',
      eventTime,
    });
    const adjustment = (eventTime: number): IndexAdjustmentEvent => ({
      kind: 'index-adjustment',
      eventTime,
      effectiveDate: String(eventTime),
      actions: [],
    });
    const merged = [...withAdjustments([fx(5), fx(10), fx(20)], [adjustment(10), adjustment(30)])];
    expect(merged.map((e) => `${e.kind}@${e.eventTime}`)).toEqual([
      'fx-rate@5',
      'index-adjustment@10',
      'fx-rate@10',
      'fx-rate@20',
      'index-adjustment@30',
    ]);
  });
});
