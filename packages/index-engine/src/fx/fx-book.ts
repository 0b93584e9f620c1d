import { Decimal } from 'decimal.js';
import { rangeProblem } from '../bounded-decimal.js';
import { FX_RATE_BOUND } from '../bounds.js';
import { CROSS_RATE_DECIMALS, type Dec, ONE } from '../decimal.js';

/** The rate that converts HKD prices into the CNY index currency, with where it came from. */
export interface FxObservation {
  /** CNY per 1 HKD. */
  readonly rate: Dec;
  readonly eventTime: number;
  /** `HKDCNY`, `CNYHKD (inverted)` or `USDCNY/USDHKD`, plus the source's observation id when given. */
  readonly observationId: string;
}

interface Quote {
  readonly rate: Dec;
  readonly eventTime: number;
  readonly observationId: string;
}

export const SUPPORTED_FX_PAIRS = ['HKDCNY', 'CNYHKD', 'USDCNY', 'USDHKD'] as const;

/**
 * Latest quote per pair and the effective HKD→CNY rate. A direct HKDCNY (or inverted CNYHKD)
 * quote is used as it is; when only USD legs are known, HKDCNY = USDCNY / USDHKD, rounded to 12
 * decimal places so every product of it stays a finite decimal. The most recent source wins.
 */
export class FxBook {
  readonly #quotes = new Map<string, Quote>();
  #effective: FxObservation | null = null;

  get hkdCny(): FxObservation | null {
    return this.#effective;
  }

  /** Records a validated quote; returns true when the effective HKDCNY rate changed. */
  update(pair: string, rate: Dec, eventTime: number, observationId?: string): boolean {
    const id = observationId ?? pair;
    this.#quotes.set(pair, { rate, eventTime, observationId: id });
    const before = this.#effective;
    this.#effective = this.#compute();
    return before === null || this.#effective === null || !before.rate.eq(this.#effective.rate);
  }

  /**
   * Null when recording this quote keeps the effective HKDCNY rate within FX_RATE_BOUND, else
   * why not. An inverted or crossed rate can leave the range (or round to 0 at 12 dp) although
   * every quote is in range; such a quote must be refused before it reaches the book.
   */
  derivedProblem(pair: string, rate: Dec, eventTime: number): string | null {
    const effective = this.preview(pair, rate, eventTime);
    if (effective === null) return null;
    const problem = rangeProblem(effective.rate, FX_RATE_BOUND);
    return problem === null
      ? null
      : `HKDCNY derived from ${effective.observationId} would be ${effective.rate.toFixed()}, which ${problem}`;
  }

  /** The effective HKDCNY rate recording this quote would give, without recording it. */
  preview(pair: string, rate: Dec, eventTime: number): FxObservation | null {
    const before = this.#quotes.get(pair);
    this.#quotes.set(pair, { rate, eventTime, observationId: pair });
    const effective = this.#compute();
    if (before === undefined) this.#quotes.delete(pair);
    else this.#quotes.set(pair, before);
    return effective;
  }

  #compute(): FxObservation | null {
    const candidates: FxObservation[] = [];
    const direct = this.#quotes.get('HKDCNY');
    if (direct) candidates.push(direct);
    const inverse = this.#quotes.get('CNYHKD');
    if (inverse) {
      candidates.push({
        rate: ONE.div(inverse.rate).toDecimalPlaces(CROSS_RATE_DECIMALS, Decimal.ROUND_HALF_EVEN),
        eventTime: inverse.eventTime,
        observationId: `${inverse.observationId} (inverted)`,
      });
    }
    const usdCny = this.#quotes.get('USDCNY');
    const usdHkd = this.#quotes.get('USDHKD');
    if (usdCny && usdHkd) {
      candidates.push({
        rate: usdCny.rate.div(usdHkd.rate).toDecimalPlaces(CROSS_RATE_DECIMALS, Decimal.ROUND_HALF_EVEN),
        eventTime: Math.max(usdCny.eventTime, usdHkd.eventTime),
        observationId: `${usdCny.observationId}/${usdHkd.observationId}`,
      });
    }
    let best: FxObservation | null = null;
    for (const candidate of candidates) {
      if (best === null || candidate.eventTime >= best.eventTime) best = candidate;
    }
    return best;
  }

  lastEventTime(pair: string): number | undefined {
    return this.#quotes.get(pair)?.eventTime;
  }

  snapshot(): Array<{ pair: string; rate: string; eventTime: number; observationId: string }> {
    return [...this.#quotes.entries()].map(([pair, q]) => ({
      pair,
      rate: q.rate.toFixed(),
      eventTime: q.eventTime,
      observationId: q.observationId,
    }));
  }
}
