import { cut, echo } from '../bounded-decimal.js';
import { PRICE_BOUND } from '../bounds.js';
import { PRICE_DECIMALS } from '../fixed-point.js';
import type { ScaledPrice } from '../price-parser.js';
import type { RejectReason } from '../rejection.js';

/** The rejection (reason, detail, value) of a tick price `parseScaledPrice` refused. */
export function priceRefusal(
  problem: Exclude<ScaledPrice, bigint>,
  text: string,
): [RejectReason, string, string] {
  switch (problem) {
    case 'non_positive':
      return ['non_positive_price', `price was ${cut(text)}`, cut(text)];
    case 'out_of_range':
      return [
        'price_out_of_range',
        `price was ${cut(text)}, above the maximum ${PRICE_BOUND.max.toString()}`,
        cut(text),
      ];
    case 'too_many_decimals':
      return [
        'malformed_price',
        `price was ${cut(text)}, which has more than ${PRICE_DECIMALS} decimal places`,
        cut(text),
      ];
    case 'malformed':
      return ['malformed_price', `price was ${echo(text)}`, cut(text)];
  }
}
