import { cut, echo, isBoundRefusal, parseBounded } from '../bounded-decimal.js';
import { FX_RATE_BOUND } from '../bounds.js';
import type { Dec } from '../decimal.js';
import type { RejectReason } from '../rejection.js';

export interface FxRateRefusal {
  readonly reason: RejectReason;
  readonly detail: string;
}

/**
 * A quoted FX rate checked against FX_RATE_BOUND: text outside the grammar or with more than 12
 * decimal places is `malformed_fx_rate`, zero or negative `non_positive_fx_rate`, outside
 * [1e-6, 1e6] `fx_rate_out_of_range`. The engine and the FX filter both use this, so a rate
 * refused live is refused in a replay too.
 */
export function parseFxRate(text: string): Dec | FxRateRefusal {
  const value = parseBounded(text, FX_RATE_BOUND);
  if (!isBoundRefusal(value)) return value;
  switch (value.problem) {
    case 'non_positive':
      return { reason: 'non_positive_fx_rate', detail: `rate was ${cut(text)}` };
    case 'too_many_integer_digits':
    case 'out_of_range':
      return {
        reason: 'fx_rate_out_of_range',
        detail: `rate was ${cut(text)}, outside [${FX_RATE_BOUND.min.toString()}, ${FX_RATE_BOUND.max.toString()}]`,
      };
    case 'too_many_fraction_digits':
      return {
        reason: 'malformed_fx_rate',
        detail: `rate was ${cut(text)}, which has more than ${FX_RATE_BOUND.maxFractionDigits} decimal places`,
      };
    default:
      return { reason: 'malformed_fx_rate', detail: `rate was ${echo(text)}` };
  }
}

export function isFxRateRefusal(value: Dec | FxRateRefusal): value is FxRateRefusal {
  return 'reason' in value;
}
