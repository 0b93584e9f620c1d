import {
  ASHARE_FULL_DAY,
  HK_FULL_DAY,
  HK_HALF_DAY,
  type SessionSegment,
  timeOfDayMs,
  type Venue,
} from '@indexflow/market-calendar';

/**
 * Session tables per market, in milliseconds after local midnight: the market calendar's session
 * segments (docs market.md §1) and where the simulator puts the auctions' single prints.
 */
export type { Venue as Market } from '@indexflow/market-calendar';

type Market = Venue;

/** The phase a simulated print belongs to (the `phase` column of ticks.csv). */
export type PrintPhase = 'opening_auction' | 'continuous' | 'closing_auction';

/** A half-open window [startMs, endMs) in ms after local midnight. */
export interface SessionWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export interface SessionTable {
  readonly market: Market;
  /** Order entry of the opening call auction / pre-opening session (no prints except the opening print). */
  readonly openingAuction: SessionWindow;
  /** Where the single opening print falls (a point when endMs = startMs + 1). */
  readonly openingPrint: SessionWindow;
  readonly continuous: readonly SessionWindow[];
  /** The closing call auction / closing auction session. */
  readonly closingAuction: SessionWindow;
  /** Where the single closing print falls; inclusive of the last millisecond of the window. */
  readonly closingPrint: SessionWindow;
}

/** Returns ms after midnight of a local wall time. */
export const localTimeMs = timeOfDayMs;

const at = localTimeMs;
const toWindow = (s: SessionSegment): SessionWindow => ({ startMs: s.startMs, endMs: s.endMs });
const only = (segments: readonly SessionSegment[], phase: SessionSegment['phase']) =>
  segments.find((s) => s.phase === phase)!;

/** The calendar's segments of a day, with the print windows the simulator adds. */
function tableOf(
  market: Market,
  segments: readonly SessionSegment[],
  prints: Pick<SessionTable, 'openingPrint' | 'closingPrint'>,
  inclusiveClose: boolean,
): SessionTable {
  const closing = toWindow(only(segments, 'CLOSING_AUCTION'));
  return {
    market,
    openingAuction: toWindow(only(segments, 'OPENING_AUCTION')),
    openingPrint: prints.openingPrint,
    continuous: segments.filter((s) => s.phase === 'CONTINUOUS').map(toWindow),
    // The HK random close may fall on the session's last millisecond itself.
    closingAuction: inclusiveClose ? { ...closing, endMs: closing.endMs + 1 } : closing,
    closingPrint: prints.closingPrint,
  };
}

/**
 * SSE/SZSE: opening call auction 09:15–09:25 with one print at 09:25:00, continuous 09:30–11:30 and
 * 13:00–14:57, closing call auction 14:57–15:00 with one print at 15:00:00.
 */
export const ASHARE_SESSIONS: SessionTable = tableOf(
  'ashare',
  ASHARE_FULL_DAY,
  {
    openingPrint: { startMs: at(9, 25), endMs: at(9, 25) + 1 },
    closingPrint: { startMs: at(15, 0), endMs: at(15, 0) + 1 },
  },
  false,
);

/**
 * HKEX full day: pre-opening session 09:00–09:30 whose random matching ends at a random time between
 * 09:20 and 09:22, so the opening print falls in [09:20:00, 09:22:00) (as HKEX sets opening prices and
 * Hang Seng disseminates opening index values then, not at 09:30); continuous 09:30–12:00 and
 * 13:00–16:00; closing auction 16:00 to a random close in [16:08:00, 16:10:00].
 */
export const HK_SESSIONS: SessionTable = tableOf(
  'hk',
  HK_FULL_DAY,
  {
    openingPrint: { startMs: at(9, 20), endMs: at(9, 22) },
    closingPrint: { startMs: at(16, 8), endMs: at(16, 10) + 1 },
  },
  true,
);

/** HKEX half day (Christmas Eve, New Year's Eve, Lunar New Year's Eve): no afternoon, CAS from 12:00. */
export const HK_HALF_DAY_SESSIONS: SessionTable = tableOf(
  'hk',
  HK_HALF_DAY,
  {
    openingPrint: HK_SESSIONS.openingPrint,
    closingPrint: { startMs: at(12, 8), endMs: at(12, 10) + 1 },
  },
  true,
);

/** Returns the session table of a market on a full or half day. */
export function sessionTable(market: Market, halfDay = false): SessionTable {
  if (market === 'ashare') return ASHARE_SESSIONS;
  return halfDay ? HK_HALF_DAY_SESSIONS : HK_SESSIONS;
}

/** Total continuous-trading milliseconds of a table. */
export function continuousMs(table: SessionTable): number {
  return table.continuous.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
}

/**
 * Returns the phase a print at `msOfDay` belongs to, or null when the market prints nothing then
 * (before the opening print, in the gap to the open, in breaks and after the closing print).
 */
export function printPhaseAt(table: SessionTable, msOfDay: number): PrintPhase | null {
  const inside = (w: SessionWindow) => msOfDay >= w.startMs && msOfDay < w.endMs;
  if (inside(table.openingPrint)) return 'opening_auction';
  if (table.continuous.some(inside)) return 'continuous';
  if (inside(table.closingPrint)) return 'closing_auction';
  return null;
}

/** The market of an exchange symbol: .SH/.SZ → ashare, .HK → hk; null for other suffixes. */
export function marketOfSymbol(symbol: string): Market | null {
  if (symbol.endsWith('.SH') || symbol.endsWith('.SZ')) return 'ashare';
  if (symbol.endsWith('.HK')) return 'hk';
  return null;
}
