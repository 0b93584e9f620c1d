/** The A-share close: the 14:57–15:00 closing call auction prints at 15:00:00 (ms after local midnight). */
export const ASHARE_CLOSE_MS = 15 * 3_600_000;
/** The HK close: the closing auction session ends at a random moment up to 16:10:00. */
export const HK_CLOSE_MS = 16 * 3_600_000 + 10 * 60_000;

const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Milliseconds after local (Asia/Shanghai) midnight of a close time `HH:MM` or `HH:MM:SS`, or
 * null when the text is not a time of day. 24:00 is refused: a close must fall inside its date.
 */
export function parseCloseTime(text: string): number | null {
  const match = TIME_PATTERN.exec(text);
  if (!match) return null;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
