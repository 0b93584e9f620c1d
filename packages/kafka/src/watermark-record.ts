/**
 * Watermark records: a producer's progress statement written into the partitions it produces to.
 * A watermark record at offset n with time W promises that every LATER record of that partition
 * has event time ≥ W. It has no value (so no schema) and two headers. Producers that know their
 * own event time (`indexflow replay --kafka`) write one to every partition at the start of a run,
 * periodically while it runs (heartbeats), and a final one at its end; a final watermark means the
 * run ended on purpose, so the partition holds the merge at W instead of turning stale.
 */

export const WATERMARK_HEADER = 'indexflow-watermark';
export const WATERMARK_FINAL_HEADER = 'indexflow-watermark-final';

export interface Watermark {
  /** Epoch ms: no later record of the partition has an earlier event time. */
  readonly time: number;
  /** The producer's run ended here (end of a replayed slice): hold, never turn stale. */
  readonly final: boolean;
}

/** Oldest and newest plausible watermark times; anything else is malformed, not a promise. */
const MIN_TIME = Date.UTC(1990, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

function headerText(value: HeaderValue): string | undefined {
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  if (one === undefined) return undefined;
  return typeof one === 'string' ? one : one.toString('latin1');
}

/** The headers of a watermark record, as kafkajs produces them. */
export function watermarkHeaders(watermark: Watermark): Record<string, string> {
  return {
    [WATERMARK_HEADER]: String(watermark.time),
    ...(watermark.final ? { [WATERMARK_FINAL_HEADER]: '1' } : {}),
  };
}

export type WatermarkReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'watermark'; readonly watermark: Watermark }
  | { readonly kind: 'malformed'; readonly detail: string };

/**
 * Reads a record's watermark headers. A record without them is an ordinary record (`none`); one
 * whose watermark header is not a plausible epoch-ms integer is `malformed` (dead-lettered by the
 * source, never trusted: a bad promise would release events too early).
 */
export function readWatermark(headers: Readonly<Record<string, HeaderValue>> | undefined): WatermarkReading {
  const text = headers === undefined ? undefined : headerText(headers[WATERMARK_HEADER]);
  if (text === undefined) return { kind: 'none' };
  const time = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(time >= MIN_TIME && time <= MAX_TIME)) {
    return {
      kind: 'malformed',
      detail: `${WATERMARK_HEADER} header ${JSON.stringify(text.slice(0, 200))} is not an epoch-ms time in 1990–2100`,
    };
  }
  const final = headerText(headers?.[WATERMARK_FINAL_HEADER]) === '1';
  return { kind: 'watermark', watermark: { time, final } };
}
