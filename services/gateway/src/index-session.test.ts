import { parseLocalDateTime } from '@indexflow/market-calendar';
import { describe, expect, it } from 'vitest';
import { indexSessionOf, marketsOfSymbols, mergeSpans } from './index-session.js';

/** Epoch ms of a Shanghai wall-clock time, via the calendar (the test writes no offset either). */
const at = (date: string, time: string) => parseLocalDateTime(date, time, 'SH')!;
const span = (date: string, from: string, to: string) => ({ start: at(date, from), end: at(date, to) });

describe('indexSessionOf', () => {
  it('spans an A-share index from the opening auction to 15:00 with the 11:30–13:00 lunch as its gap', () => {
    const session = indexSessionOf('2025-03-20', ['SH', 'SZ'])!;
    expect(session.venues).toEqual(['ashare']);
    expect([session.open, session.close]).toEqual([
      at('2025-03-20', '09:15:00'),
      at('2025-03-20', '15:00:00'),
    ]);
    // The 09:25–09:30 pause after the opening auction is no gap: the auction's prices stand.
    expect(session.trading).toEqual([
      span('2025-03-20', '09:15:00', '11:30:00'),
      span('2025-03-20', '13:00:00', '15:00:00'),
    ]);
    expect(session.gaps).toEqual([span('2025-03-20', '11:30:00', '13:00:00')]);
    expect(session.day).toEqual({ start: at('2025-03-20', '00:00:00'), end: at('2025-03-21', '00:00:00') });
  });

  it('runs an index with HK names from 09:00 to 16:10, its gap the lunch both venues share (12:00–13:00)', () => {
    const session = indexSessionOf('2025-03-20', ['HK', 'SH'])!;
    expect(session.venues).toEqual(['ashare', 'hk']);
    expect([session.open, session.close]).toEqual([
      at('2025-03-20', '09:00:00'),
      at('2025-03-20', '16:10:00'),
    ]);
    expect(session.gaps).toEqual([span('2025-03-20', '12:00:00', '13:00:00')]);
  });

  it('closes an HK-only index at 12:10 on a half day, without a lunch', () => {
    const session = indexSessionOf('2025-12-24', ['HK'])!;
    expect(session.halfDay).toBe(true);
    expect(session.trading).toEqual([span('2025-12-24', '09:00:00', '12:10:00')]);
    expect(session.gaps).toEqual([]);
  });

  it('on an HK half day keeps the A-share afternoon of a mixed index, the gap from 12:10', () => {
    const session = indexSessionOf('2025-12-24', ['SZ', 'HK'])!;
    expect(session.trading).toEqual([
      span('2025-12-24', '09:00:00', '12:10:00'),
      span('2025-12-24', '13:00:00', '15:00:00'),
    ]);
    expect(session.gaps).toEqual([span('2025-12-24', '12:10:00', '13:00:00')]);
  });

  it('keeps the venue that trades when the other is on holiday, and is null when none does', () => {
    // Good Friday: HKEX closed, SSE open.
    expect(indexSessionOf('2025-04-18', ['HK', 'SH'])!.venues).toEqual(['ashare']);
    expect(indexSessionOf('2025-04-18', ['HK'])).toBeNull();
    expect(indexSessionOf('2025-03-22', ['SH'])).toBeNull();
  });
});

describe('marketsOfSymbols and mergeSpans', () => {
  it('takes the suffixes of known markets only', () => {
    expect(marketsOfSymbols(['600000.SH', '0700.HK', '000001.SZ', '600519.SH', 'AAPL.US'])).toEqual([
      'HK',
      'SH',
      'SZ',
    ]);
  });

  it('joins overlapping and touching spans and keeps apart those with a gap', () => {
    expect(
      mergeSpans([
        { start: 5, end: 7 },
        { start: 0, end: 2 },
        { start: 2, end: 3 },
        { start: 6, end: 9 },
      ]),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 9 },
    ]);
  });
});
