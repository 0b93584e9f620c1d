import { parseLocalDateTime } from '@indexflow/market-calendar';
import { describe, expect, it } from 'vitest';
import { type DeskStateInput, deskClock, deskState, marketStateAt } from './desk-state.js';
import { indexSessionOf } from './index-session.js';

const at = (date: string, time: string) => parseLocalDateTime(date, time, 'SH')!;
const STALE = 30_000;
/** The gateway's wall clock: years after the replayed day, as in a replay. */
const WALL = Date.UTC(2031, 0, 1);

/** A level of event time `eventTime` that arrived `ageMs` before now; the feed's last level `feedAgeMs` ago. */
function input(
  markets: DeskStateInput['markets'],
  eventTime: number,
  ageMs: number,
  feedAgeMs = ageMs,
): DeskStateInput {
  return {
    markets,
    now: WALL,
    latest: { eventTime, arrivedAt: WALL - ageMs },
    feedArrivedAt: WALL - feedAgeMs,
    staleAfterMs: STALE,
  };
}

describe('marketStateAt', () => {
  const ashare = indexSessionOf('2025-03-20', ['SH'])!;
  const mixed = indexSessionOf('2025-03-20', ['SH', 'HK'])!;
  const cases: [string, typeof ashare, string, string][] = [
    ['A-share before the auction', ashare, '09:14:59', 'pre_open'],
    ['A-share opening auction', ashare, '09:15:00', 'opening_auction'],
    ['A-share pause after the auction', ashare, '09:27:00', 'opening_auction'],
    ['A-share morning', ashare, '09:30:00', 'continuous'],
    ['A-share lunch', ashare, '11:30:00', 'lunch'],
    ['A-share afternoon', ashare, '13:00:00', 'continuous'],
    ['A-share closing auction', ashare, '14:58:00', 'closing_auction'],
    ['A-share close', ashare, '15:00:00', 'closed'],
    ['mixed: HK pre-opening', mixed, '09:00:00', 'opening_auction'],
    ['mixed: HK trades through the A-share lunch', mixed, '11:45:00', 'continuous'],
    ['mixed: lunch of both', mixed, '12:30:00', 'lunch'],
    ['mixed: HK after the A-share close', mixed, '15:30:00', 'continuous'],
    ['mixed: HK closing auction', mixed, '16:05:00', 'closing_auction'],
    ['mixed: closed', mixed, '16:10:00', 'closed'],
  ];
  it.each(cases)('%s (%s at %s) is %s', (_name, session, time, expected) => {
    expect(marketStateAt(session, at('2025-03-20', time))).toBe(expected);
  });

  it('is closed at 12:10 on an HKEX half day and says non-trading on a holiday', () => {
    const half = indexSessionOf('2025-12-24', ['HK']);
    expect(marketStateAt(half, at('2025-12-24', '12:09:59'))).toBe('closing_auction');
    expect(marketStateAt(half, at('2025-12-24', '12:10:00'))).toBe('closed');
    expect(marketStateAt(indexSessionOf('2025-04-18', ['HK']), at('2025-04-18', '10:00:00'))).toBe(
      'non_trading_day',
    );
  });
});

describe('deskState', () => {
  it('is open while levels of a replayed day arrive, whatever the wall clock says', () => {
    const view = deskState(input(['SH', 'SZ'], at('2025-03-20', '10:00:00'), 1_000));
    expect([view.state, view.badge, view.label, view.date]).toEqual([
      'continuous',
      'open',
      'open · continuous',
      '2025-03-20',
    ]);
    expect(view.reason).toBeNull();
  });

  it('turns stale when no level of any index arrived for longer than the limit in continuous trading', () => {
    const view = deskState(input(['SH'], at('2025-03-20', '10:00:00'), STALE + 1));
    expect([view.state, view.badge, view.market]).toEqual(['stale', 'stale', 'continuous']);
    expect(view.reason).toBe('no level from the feed for 30 s');
    expect(deskState(input(['SH'], at('2025-03-20', '10:00:00'), STALE)).state).toBe('continuous');
  });

  it('calls an index halted when it alone is silent while the feed runs', () => {
    const view = deskState(input(['SH'], at('2025-03-20', '10:00:00'), 60_000, 1_000));
    expect([view.state, view.badge]).toEqual(['halted', 'halted']);
    expect(view.reason).toContain('60 s');
  });

  it('moves the event-time clock on with the time since the last level: a quiet lunch is lunch, not stale', () => {
    const lastMorning = at('2025-03-20', '11:29:58');
    const twoMinutes = input(['SH'], lastMorning, 120_000);
    expect(deskClock(twoMinutes)).toBe(at('2025-03-20', '11:31:58'));
    expect(deskState(twoMinutes)).toMatchObject({ state: 'lunch', badge: 'lunch' });
    // Levels are not expected in auctions (one price at their end), so silence there is no fault.
    expect(deskState(input(['SH'], at('2025-03-20', '09:16:00'), 300_000)).state).toBe('opening_auction');
  });

  it('is closed from the official close on and never stale after it, however long the feed is silent', () => {
    const close = at('2025-03-20', '15:00:00');
    expect(deskState(input(['SH'], close, 0))).toMatchObject({
      state: 'closed',
      badge: 'closed',
      label: 'closed',
    });
    expect(deskState(input(['SH'], close, 3_600_000)).state).toBe('closed');
    // An HK name keeps the index open until 16:10.
    expect(deskState(input(['SH', 'HK'], close, 0)).state).toBe('continuous');
    // The next morning, moved on by the night, is the next day's pre-open.
    const overnight = deskState(input(['SH'], close, 18 * 3_600_000));
    expect([overnight.state, overnight.date]).toEqual(['pre_open', '2025-03-21']);
  });

  it('reads the gateway clock when the index has no level, and calls a feed that never delivered stale', () => {
    const view = deskState({
      markets: ['HK'],
      now: at('2025-03-20', '10:00:00'),
      latest: null,
      feedArrivedAt: null,
      staleAfterMs: STALE,
    });
    expect([view.state, view.reason]).toEqual(['stale', 'no level received yet']);
    const weekend = deskState({
      markets: ['HK'],
      now: at('2025-03-22', '10:00:00'),
      latest: null,
      feedArrivedAt: null,
      staleAfterMs: STALE,
    });
    expect([weekend.state, weekend.badge, weekend.label]).toEqual([
      'non_trading_day',
      'closed',
      'closed · no session today',
    ]);
  });
});
