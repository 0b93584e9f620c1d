import { timeOfDayMs } from './local-time.js';
import type { SessionPhase } from './phases.js';

/** One segment of a trading day, [startMs, endMs) in milliseconds after local midnight. */
export interface SessionSegment {
  readonly name: string;
  readonly phase: SessionPhase;
  readonly startMs: number;
  readonly endMs: number;
}

const at = timeOfDayMs;
const segment = (name: string, phase: SessionPhase, startMs: number, endMs: number): SessionSegment => ({
  name,
  phase,
  startMs,
  endMs,
});

/**
 * SSE/SZSE (market.md §1.1): opening call auction 09:15–09:25, a pause to 09:30 (orders queue, none
 * match), continuous 09:30–11:30, lunch, continuous 13:00–14:57, closing call auction 14:57–15:00.
 * After-hours fixed-price trading (15:05–15:30, at the close) is outside the session: it never
 * moves the close.
 */
export const ASHARE_FULL_DAY: readonly SessionSegment[] = [
  segment('opening_call_auction', 'OPENING_AUCTION', at(9, 15), at(9, 25)),
  segment('pre_open_pause', 'BREAK', at(9, 25), at(9, 30)),
  segment('morning', 'CONTINUOUS', at(9, 30), at(11, 30)),
  segment('lunch', 'BREAK', at(11, 30), at(13, 0)),
  segment('afternoon', 'CONTINUOUS', at(13, 0), at(14, 57)),
  segment('closing_call_auction', 'CLOSING_AUCTION', at(14, 57), at(15, 0)),
];

/**
 * HKEX (market.md §1.2): pre-opening session 09:00–09:30, morning 09:30–12:00, lunch, afternoon
 * 13:00–16:00, closing auction session 16:00 to a random close between 16:08 and 16:10; the
 * segment runs to the latest close, 16:10, so the official close is taken after any random close.
 */
export const HK_FULL_DAY: readonly SessionSegment[] = [
  segment('pre_opening_session', 'OPENING_AUCTION', at(9, 0), at(9, 30)),
  segment('morning', 'CONTINUOUS', at(9, 30), at(12, 0)),
  segment('lunch', 'BREAK', at(12, 0), at(13, 0)),
  segment('afternoon', 'CONTINUOUS', at(13, 0), at(16, 0)),
  segment('closing_auction_session', 'CLOSING_AUCTION', at(16, 0), at(16, 10)),
];

/**
 * HKEX half day (Christmas Eve, New Year's Eve, Lunar New Year's Eve): the morning only, then the
 * closing auction session from 12:00 to a random close between 12:08 and 12:10.
 */
export const HK_HALF_DAY: readonly SessionSegment[] = [
  segment('pre_opening_session', 'OPENING_AUCTION', at(9, 0), at(9, 30)),
  segment('morning', 'CONTINUOUS', at(9, 30), at(12, 0)),
  segment('closing_auction_session', 'CLOSING_AUCTION', at(12, 0), at(12, 10)),
];
