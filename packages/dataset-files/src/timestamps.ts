const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_MS = /^\d{1,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `ts`: ISO-8601 with an explicit offset, or epoch milliseconds. Null if malformed or ambiguous. */
export function parseTimestamp(text: string): number | null {
  const t = text.trim();
  if (EPOCH_MS.test(t)) return Number(t);
  if (!ISO_WITH_OFFSET.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** 00:00 Asia/Shanghai (UTC+8, no daylight saving) of a YYYY-MM-DD date, in epoch ms; null if invalid. */
export function shanghaiMidnight(date: string): number | null {
  if (!DATE.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00+08:00`);
  if (Number.isNaN(ms) || new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10) !== date) return null;
  return ms;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** ISO-8601 UTC with milliseconds, the replay output's `ts`. */
export function formatUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
