/** A plain decimal string (`-12.345`) as an integer and its number of decimal places. */
function scaledOf(text: string): { int: bigint; scale: number } {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`${JSON.stringify(text)} is not a plain decimal`);
  const dot = text.indexOf('.');
  return dot < 0
    ? { int: BigInt(text), scale: 0 }
    : { int: BigInt(text.slice(0, dot) + text.slice(dot + 1)), scale: text.length - dot - 1 };
}

/**
 * numerator / denominator rounded half-even to `decimals` places, on exact integers: the same
 * rounding as the engine's official-close level (24 dp half-even), without a decimal.js context
 * whose 80-digit quotient could round twice.
 */
export function quotientHalfEven(numerator: string, denominator: string, decimals: number): string {
  const n = scaledOf(numerator);
  const d = scaledOf(denominator);
  if (d.int === 0n) throw new RangeError('division by zero');
  // n/d × 10^k = n.int × 10^(d.scale + k) / (d.int × 10^n.scale)
  let num = n.int * 10n ** BigInt(d.scale + decimals);
  let den = d.int * 10n ** BigInt(n.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  let q = magnitude / den;
  const twice = (magnitude - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  let digits = q.toString();
  if (decimals > 0) {
    digits = digits.padStart(decimals + 1, '0');
    digits = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }
  return negative && q !== 0n ? `-${digits}` : digits;
}
