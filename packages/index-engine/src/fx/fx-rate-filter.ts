import { cut, echo, isBoundRefusal, parseBounded } from '../bounded-decimal.js';
import { FX_RATE_BOUND, MAX_JUMP_BOUND } from '../bounds.js';
import type { Dec } from '../decimal.js';
import type { Rejection } from '../rejection.js';
import { FxBook, SUPPORTED_FX_PAIRS } from './fx-book.js';
import { isFxRateRefusal, parseFxRate } from './fx-rate-text.js';

const PAIRS: ReadonlySet<string> = new Set(SUPPORTED_FX_PAIRS);

/** One raw FX observation as a feed delivers it. */
export interface RawFxQuote {
  readonly pair: string;
  readonly rate: string;
  readonly eventTime: number;
  /** Per-pair feed sequence, when the feed numbers its quotes. */
  readonly sequence?: number;
  /** Observation id of the feed (e.g. `source:pair:sequence`), carried into the published rate. */
  readonly observationId?: string;
}

/** The HKDCNY rate the calculators should use from now on. */
export interface PublishedFxRate {
  readonly pair: 'HKDCNY';
  /** CNY per 1 HKD, plain decimal, at most 12 decimal places (exactly what the engine would use). */
  readonly rate: string;
  /** Time of the newest quote the rate is derived from. */
  readonly eventTime: number;
  /** The quotes it came from: `HKDCNY`, `CNYHKD (inverted)` or `USDCNY/USDHKD`, with feed ids. */
  readonly derivation: string;
  /**
   * True when the rate is the accepted HKDCNY quote itself (not inverted or crossed), so its
   * source can be passed on: an index's closing fixing is recognised by that source.
   */
  readonly direct: boolean;
}

export type FxFilterResult =
  | { readonly accepted: true; readonly published: PublishedFxRate | null }
  | { readonly accepted: false; readonly rejection: Rejection };

export interface FxRateFilterOptions {
  /**
   * Largest accepted move of a pair against its last accepted quote, as a fraction (0.05 = 5 %).
   * A larger move is refused as `fx_jump`: a fat-fingered quote must not revalue every HK stock.
   */
  readonly maxJump?: string;
  /**
   * A move beyond the band that persists is real (a devaluation, a re-peg): after this many
   * consecutive refused quotes of a pair, each within the band of the first of them, the last one
   * is accepted as the new level. Default 3. Without it one genuine jump would lock the pair out.
   */
  readonly confirmations?: number;
}

interface PairState {
  rate: Dec;
  eventTime: number;
  sequence: number | undefined;
  /** Consecutive quotes refused as jumps, consistent with each other, since the last accepted. */
  pending: { rate: Dec; count: number } | null;
}

/** Serialisable state, so the FX service resumes after a restart with the same decisions. */
export interface FxRateFilterSnapshot {
  readonly pairs: ReadonlyArray<{
    pair: string;
    rate: string;
    eventTime: number;
    sequence: number | null;
    observationId: string;
    pendingJump?: { rate: string; count: number } | null;
  }>;
}

/**
 * Validates raw FX quotes (pair, FX_RATE_BOUND, per-pair order and sequence, jump band, derived
 * HKDCNY within FX_RATE_BOUND)
 * and turns the accepted ones into the HKDCNY rate the engine uses, with the engine's own FxBook
 * (direct, inverted, or the USDCNY/USDHKD cross at 12 dp). The FX service and the offline replay
 * both run this class, so a rate refused live is refused in the replay too.
 */
export class FxRateFilter {
  readonly #maxJump: Dec | null;
  readonly #confirmations: number;
  readonly #pairs = new Map<string, PairState>();
  readonly #book = new FxBook();
  #lastPublished: { rate: string; eventTime: number } | null = null;

  constructor(options: FxRateFilterOptions = {}) {
    const confirmations = options.confirmations ?? 3;
    if (!Number.isInteger(confirmations) || confirmations < 1)
      throw new FxFilterOptionError('confirmations', options.confirmations);
    this.#confirmations = confirmations;
    if (options.maxJump === undefined) {
      this.#maxJump = null;
    } else {
      const maxJump = parseBounded(options.maxJump, MAX_JUMP_BOUND);
      if (isBoundRefusal(maxJump)) throw new FxFilterOptionError('maxJump', cut(options.maxJump));
      this.#maxJump = maxJump;
    }
  }

  accept(quote: RawFxQuote): FxFilterResult {
    const reject = (reason: Rejection['reason'], detail: string, value?: string): FxFilterResult => ({
      accepted: false,
      rejection: { reason, detail, eventTime: quote.eventTime, ...(value === undefined ? {} : { value }) },
    });
    if (!PAIRS.has(quote.pair))
      return reject('unknown_fx_pair', `pair was ${echo(quote.pair)}`, cut(quote.pair));
    const rate = parseFxRate(quote.rate);
    if (isFxRateRefusal(rate)) return reject(rate.reason, rate.detail, cut(quote.rate));
    const last = this.#pairs.get(quote.pair);
    if (last !== undefined) {
      if (quote.sequence !== undefined && last.sequence !== undefined && quote.sequence <= last.sequence) {
        return reject(
          quote.sequence === last.sequence ? 'duplicate_sequence' : 'out_of_order',
          `sequence ${quote.sequence} of ${quote.pair} is not after ${last.sequence}`,
          String(quote.sequence),
        );
      }
      if (quote.eventTime < last.eventTime) {
        return reject(
          'out_of_order',
          `${quote.pair} at ${quote.eventTime} is before its last quote at ${last.eventTime}`,
          String(quote.eventTime),
        );
      }
      const maxJump = this.#maxJump;
      if (maxJump !== null && rate.minus(last.rate).abs().div(last.rate).gt(maxJump)) {
        const pending = last.pending;
        const consistent = pending !== null && !rate.minus(pending.rate).abs().div(pending.rate).gt(maxJump);
        last.pending = consistent ? { rate: pending.rate, count: pending.count + 1 } : { rate, count: 1 };
        if (last.pending.count < this.#confirmations) {
          return reject(
            'fx_jump',
            `${quote.pair} moved from ${last.rate.toFixed()} to ${quote.rate}, more than ${maxJump.toFixed()} of the last rate (${last.pending.count} of ${this.#confirmations} consecutive quotes at the new level accept it)`,
            quote.rate,
          );
        }
      }
    }
    const derived = this.#book.derivedProblem(quote.pair, rate, quote.eventTime);
    if (derived !== null) return reject('fx_rate_out_of_range', derived, quote.rate);
    this.#pairs.set(quote.pair, {
      rate,
      eventTime: quote.eventTime,
      sequence: quote.sequence,
      pending: null,
    });
    this.#book.update(quote.pair, rate, quote.eventTime, quote.observationId);
    return { accepted: true, published: this.#publishable(quote) };
  }

  /** The effective rate when it differs (rate or time) from the last one published, else null. */
  #publishable(quote: RawFxQuote): PublishedFxRate | null {
    const effective = this.#book.hkdCny;
    if (effective === null) return null;
    const rate = effective.rate.toFixed();
    const before = this.#lastPublished;
    if (before !== null && before.rate === rate && before.eventTime === effective.eventTime) return null;
    this.#lastPublished = { rate, eventTime: effective.eventTime };
    const direct = quote.pair === 'HKDCNY' && effective.observationId === (quote.observationId ?? quote.pair);
    return {
      pair: 'HKDCNY',
      rate,
      eventTime: effective.eventTime,
      derivation: effective.observationId,
      direct,
    };
  }

  snapshot(): FxRateFilterSnapshot {
    const ids = new Map(this.#book.snapshot().map((q) => [q.pair, q.observationId]));
    return {
      pairs: [...this.#pairs.entries()].map(([pair, s]) => ({
        pair,
        rate: s.rate.toFixed(),
        eventTime: s.eventTime,
        sequence: s.sequence ?? null,
        observationId: ids.get(pair) ?? pair,
        pendingJump: s.pending === null ? null : { rate: s.pending.rate.toFixed(), count: s.pending.count },
      })),
    };
  }

  /** A filter that continues from `snapshot` (its quotes replayed in time order, nothing published). */
  static restore(snapshot: FxRateFilterSnapshot, options: FxRateFilterOptions = {}): FxRateFilter {
    const filter = new FxRateFilter(options);
    const pairs = [...snapshot.pairs].sort((a, b) => a.eventTime - b.eventTime);
    for (const p of pairs) {
      const rate = snapshotRate(p.rate);
      if (rate === null) throw new FxFilterOptionError(`snapshot ${p.pair} rate`, cut(p.rate));
      const pending = p.pendingJump
        ? { rate: snapshotRate(p.pendingJump.rate), count: p.pendingJump.count }
        : null;
      if (pending !== null && pending.rate === null)
        throw new FxFilterOptionError(`snapshot ${p.pair} pending rate`, cut(p.pendingJump?.rate ?? ''));
      filter.#pairs.set(p.pair, {
        rate,
        eventTime: p.eventTime,
        sequence: p.sequence ?? undefined,
        pending: pending === null ? null : { rate: pending.rate!, count: pending.count },
      });
      filter.#book.update(p.pair, rate, p.eventTime, p.observationId);
    }
    const effective = filter.#book.hkdCny;
    if (effective !== null)
      filter.#lastPublished = { rate: effective.rate.toFixed(), eventTime: effective.eventTime };
    return filter;
  }
}

/** A snapshot's rate read back with the quote grammar, so a damaged snapshot cannot hang a restore. */
function snapshotRate(text: string): Dec | null {
  const rate = parseBounded(text, FX_RATE_BOUND);
  return isBoundRefusal(rate) ? null : rate;
}

/** An FX filter option or snapshot value is unusable. */
export class FxFilterOptionError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`FX filter ${field} must be positive, was ${JSON.stringify(value)}`);
    this.name = 'FxFilterOptionError';
  }
}
