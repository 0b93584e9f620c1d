const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai and Asia/Hong_Kong are UTC+8 all year (no daylight saving). */
const UTC_OFFSET_MS = 8 * 3_600_000;

/** Civil date (YYYY-MM-DD) of a day count since 1970-01-01 (H. Hinnant's days-to-civil algorithm). */
function civilFromDays(days: number): string {
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

/** The trading date (Asia/Shanghai calendar date) of an event time, and that day's bounds in epoch ms. */
export function tradingDayOf(eventTime: number): { date: string; start: number; end: number } {
  const days = Math.floor((eventTime + UTC_OFFSET_MS) / MS_PER_DAY);
  const start = days * MS_PER_DAY - UTC_OFFSET_MS;
  return { date: civilFromDays(days), start, end: start + MS_PER_DAY };
}
