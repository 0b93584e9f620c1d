/** An exchange, as the suffix of a symbol (600000.SH, 000001.SZ, 0700.HK) and on the wire. */
export type Market = 'SH' | 'SZ' | 'HK';

/**
 * A trading calendar shared by markets: SSE and SZSE keep the same sessions and holidays
 * (`ashare`), HKEX has its own (`hk`).
 */
export type Venue = 'ashare' | 'hk';

export const MARKETS: readonly Market[] = ['SH', 'SZ', 'HK'];
export const VENUES: readonly Venue[] = ['ashare', 'hk'];

export interface VenueTimeZone {
  /** The IANA name, for people and for systems that take one. */
  readonly name: string;
  /** Offset from UTC in milliseconds, the same all year. */
  readonly utcOffsetMs: number;
  /** The offset as ISO-8601 writes it, e.g. +08:00. */
  readonly isoOffset: string;
}

// Neither zone has observed daylight saving time since 1991 (China) and 1979 (Hong Kong); the
// exchanges' data are stamped +08:00, so a fixed offset is exact for every date IndexFlow handles.
const UTC_PLUS_8 = { utcOffsetMs: 8 * 3_600_000, isoOffset: '+08:00' } as const;

export const VENUE_TIME_ZONES: Readonly<Record<Venue, VenueTimeZone>> = {
  ashare: { name: 'Asia/Shanghai', ...UTC_PLUS_8 },
  hk: { name: 'Asia/Hong_Kong', ...UTC_PLUS_8 },
};

/** The venue whose calendar a market trades on. */
export function venueOf(market: Market | Venue): Venue {
  if (market === 'ashare' || market === 'hk') return market;
  return market === 'HK' ? 'hk' : 'ashare';
}

/** The time zone of a market or venue. */
export function timeZoneOf(market: Market | Venue): VenueTimeZone {
  return VENUE_TIME_ZONES[venueOf(market)];
}

const SYMBOL_PATTERN = /^([0-9A-Z]{1,10})\.(SH|SZ|HK)$/;

/** The market of a symbol such as 600000.SH or 0700.HK, or null if the suffix is unknown. */
export function marketOfSymbol(symbol: string): Market | null {
  const match = SYMBOL_PATTERN.exec(symbol);
  return match ? (match[2] as Market) : null;
}

export function isMarket(value: string): value is Market {
  return value === 'SH' || value === 'SZ' || value === 'HK';
}

export function isVenue(value: string): value is Venue {
  return value === 'ashare' || value === 'hk';
}
