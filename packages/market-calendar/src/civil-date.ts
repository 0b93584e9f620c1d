// Calendar-date arithmetic on day counts since 1970-01-01, with no clock object: the index engine
// depends on this package and must not touch a clock (see index-engine's purity test).

export const MS_PER_DAY = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil). */
function daysFromCivilParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Civil date (YYYY-MM-DD) of a day count since 1970-01-01 (H. Hinnant's days-to-civil). */
export function civilFromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date, or null when the text is not a real calendar date. */
export function daysFromCivil(date: string): number | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const days = daysFromCivilParts(Number(match[1]), Number(match[2]), Number(match[3]));
  // Round-tripping refuses 2025-02-30 and month 13, which the arithmetic would roll over.
  return civilFromDays(days) === date ? days : null;
}

/** True for a real YYYY-MM-DD calendar date. */
export function isCalendarDate(date: string): boolean {
  return daysFromCivil(date) !== null;
}

/** Days since 1970-01-01 of a date already known to be valid (throws otherwise). */
export function mustDays(date: string): number {
  const days = daysFromCivil(date);
  if (days === null)
    throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date.slice(0, 200))}`);
  return days;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(date: string): number {
  return (((mustDays(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

/** The date `count` calendar days after `date` (before it when negative). */
export function addDays(date: string, count: number): string {
  return civilFromDays(mustDays(date) + count);
}

/** The year of a YYYY-MM-DD date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
