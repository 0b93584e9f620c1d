/**
 * Feed sequences derived from the data rather than from the run that produced it: a symbol's (or
 * FX pair's) event time in ms × 1 000 plus its rank among that key's events of the same ms. Cutting
 * a dataset into days or producing a slice twice gives every event the same number, so the
 * calculator's per-symbol sequence check catches repeats and never refuses the next slice. The
 * product stays below 2^53 for times before the year 2255; a key with more than 1 000 events in
 * one ms would overlap the next ms (such a feed has sequences of its own, which are used instead).
 */
export class TimeSequencer {
  readonly #last = new Map<string, { time: number; rank: number }>();

  next(key: string, eventTime: number): number {
    const last = this.#last.get(key);
    const rank = last !== undefined && last.time === eventTime ? last.rank + 1 : 0;
    this.#last.set(key, { time: eventTime, rank });
    return eventTime * 1000 + rank;
  }
}
