import { type Announcement, adjustmentEventTime } from '@indexflow/corporate-actions';
import type { CorporateAction, IndexDefinition } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import type { ActionInput } from './action-inputs.js';
import {
  publishInstant,
  type RegisterProcessorOptions,
  registerProcessorFactory,
} from './register-processor.js';

const DEFINITIONS: IndexDefinition[] = [
  {
    id: 'A',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '100' },
      { symbol: '0700.HK', shares: '10' },
    ],
  },
];

const EX_DATE = '2025-03-21';
/** 2025-03-20 10:00 Asia/Shanghai: the day before the ex-date, before PUBLISH_AT. */
const MORNING = adjustmentEventTime('2025-03-20') + 10 * 3_600_000;

const announce = (actionId: string, action: CorporateAction, at = MORNING, exDate = EX_DATE): ActionInput => {
  const announcement: Announcement = { actionId, exDate, action, announcedAt: 1 };
  return { kind: 'announcement', announcement, at };
};
const split = (actionId: string, ratio = '2') =>
  announce(actionId, { type: 'split', symbol: '600000.SH', ratio });
const clock = (now: number): ActionInput => ({ kind: 'clock', now });

function processor(options: Partial<RegisterProcessorOptions> = {}) {
  const outcomes: string[] = [];
  const factory = registerProcessorFactory({
    definitions: DEFINITIONS,
    mode: 'immediate',
    publishAt: '17:00',
    onOutcome: (outcome) => outcomes.push(outcome),
    ...options,
  });
  return { factory, engine: factory.fresh(), outcomes };
}

describe('RegisterProcessor', () => {
  it('accepts valid announcements and refuses the others with the register reason', () => {
    const { engine, outcomes } = processor();
    expect(engine.apply(split('a1'))).toEqual({ levels: [], rejections: [] });
    const refused = engine.apply(announce('a2', { type: 'split', symbol: '000001.SZ', ratio: '2' }));
    expect(refused.rejections.map((r) => r.reason)).toEqual(['unknown_symbol']);
    expect(refused.rejections[0]!.detail).toContain('000001.SZ');
    expect(engine.apply(split('a1', '3')).rejections).toEqual([]);
    // "Today" is the arrival's Asia/Shanghai date: an ex-date before it is refused.
    const twoDaysLater = MORNING + 2 * 86_400_000;
    const late = engine.apply(announce('a4', { type: 'split', symbol: '0700.HK', ratio: '2' }, twoDaysLater));
    expect(late.rejections.map((r) => [r.reason, r.detail])).toEqual([
      ['ex_date_past', 'a4: exDate 2025-03-21 is before 2025-03-22'],
    ]);
    // AS_OF_DATE fixes it whatever the clock.
    const fixed = processor({ asOfDate: '2025-03-20' }).engine;
    expect(
      fixed.apply(announce('a4', { type: 'split', symbol: '0700.HK', ratio: '2' }, twoDaysLater)),
    ).toEqual({ levels: [], rejections: [] });
    expect(outcomes).toEqual(['added', 'rejected', 'amended', 'rejected']);
  });

  it('publishes nothing on announcements, and every due date once on the next clock tick (immediate)', () => {
    const { engine } = processor();
    engine.apply(split('a1'));
    engine.apply(announce('a2', { type: 'cash_dividend', symbol: '0700.HK', amount: '1', currency: 'HKD' }));
    const first = engine.apply(clock(MORNING));
    expect(first.derived?.map((d) => [d.date, d.announcements.map((a) => a.actionId), d.late])).toEqual([
      [EX_DATE, ['a1', 'a2'], false],
    ]);
    expect(first.derived?.[0]?.adjustment.eventTime).toBe(adjustmentEventTime(EX_DATE));
    expect(engine.apply(clock(MORNING + 1)).derived).toBeUndefined();
    // The date is frozen: a cancellation or amendment of it is refused.
    expect(engine.apply({ kind: 'cancel', actionId: 'a1', at: MORNING }).rejections[0]?.reason).toBe(
      'ex_date_past',
    );
    expect(engine.apply(split('a1', '5')).rejections[0]?.reason).toBe('ex_date_past');
  });

  it('cancels an unpublished action, and a date left without actions publishes nothing', () => {
    const { engine, outcomes } = processor();
    engine.apply(split('a1'));
    expect(engine.apply({ kind: 'cancel', actionId: 'a1', at: MORNING })).toEqual({
      levels: [],
      rejections: [],
    });
    expect(engine.apply(clock(MORNING)).derived).toBeUndefined();
    expect(outcomes).toEqual(['added', 'cancelled']);
  });

  it('in scheduled mode publishes at PUBLISH_AT the day before, and flags a date whose ex-date began', () => {
    const { engine } = processor({ mode: 'scheduled', publishAt: '17:00' });
    engine.apply(split('a1'));
    engine.apply(announce('b1', { type: 'split', symbol: '0700.HK', ratio: '2' }, MORNING, '2025-03-24'));
    const at = publishInstant(EX_DATE, '17:00');
    expect(at).toBe(adjustmentEventTime('2025-03-20') + 17 * 3_600_000);
    expect(engine.apply(clock(at - 1)).derived).toBeUndefined();
    expect(engine.apply(clock(at)).derived?.map((d) => [d.date, d.late])).toEqual([[EX_DATE, false]]);
    // The service was down over the 24th's publication time and its 00:00: published late.
    const next = engine.apply(clock(adjustmentEventTime('2025-03-24') + 60_000));
    expect(next.derived?.map((d) => [d.date, d.late])).toEqual([['2025-03-24', true]]);
  });

  it('restores from its snapshot to a register that behaves the same', () => {
    const { factory, engine } = processor({ mode: 'scheduled' });
    engine.apply(split('a1'));
    engine.apply(announce('b1', { type: 'split', symbol: '0700.HK', ratio: '2' }, MORNING, '2025-03-24'));
    engine.apply(clock(publishInstant(EX_DATE, '17:00')));
    const snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
    const restored = factory.restore(snapshot);
    expect(restored.snapshot()).toEqual(engine.snapshot());
    const later = clock(publishInstant('2025-03-24', '17:00'));
    expect(restored.apply(later)).toEqual(engine.apply(later));
    expect(restored.snapshot()).toEqual(engine.snapshot());
  });
});
