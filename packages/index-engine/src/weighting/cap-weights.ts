import { type Dec, ONE, ZERO } from '../decimal.js';

export interface CapInput {
  readonly id: string;
  /** Uncapped weight (any positive scale; normalised internally). */
  readonly weight: Dec;
  /** Maximum weight as a fraction, e.g. 0.10. */
  readonly cap: Dec;
}

export interface CappedWeight {
  readonly id: string;
  readonly uncapped: Dec;
  readonly weight: Dec;
  /** Weight factor w/u normalised so the largest is 1 (the CSI convention, TV7). */
  readonly capFactor: Dec;
}

/** The caps cannot hold: they add up to less than 100 %. Carries the offending sum. */
export class InfeasibleCapsError extends Error {
  constructor(readonly capSum: string) {
    super(`caps add up to ${capSum}, below 1: no capped weighting exists`);
    this.name = 'InfeasibleCapsError';
  }
}

/**
 * Tiered capping with iterative redistribution: names above their cap are set to it and the
 * excess is spread over the rest in proportion to their weights, until no weight exceeds its
 * cap. A name that lands exactly on its cap counts as capped (TV7b), so the loop always ends:
 * each round caps at least one more name.
 */
export function capWeights(inputs: readonly CapInput[]): CappedWeight[] {
  const total = inputs.reduce((sum, x) => sum.plus(x.weight), ZERO);
  const capSum = inputs.reduce((sum, x) => sum.plus(x.cap), ZERO);
  if (capSum.lt(ONE)) throw new InfeasibleCapsError(capSum.toFixed());
  const uncapped = inputs.map((x) => x.weight.div(total));
  const capped = new Array<boolean>(inputs.length).fill(false);
  let weights = uncapped.slice();
  for (let round = 0; round <= inputs.length; round += 1) {
    let cappedTotal = ZERO;
    let freeTotal = ZERO;
    inputs.forEach((x, i) => {
      if (capped[i]) cappedTotal = cappedTotal.plus(x.cap);
      else freeTotal = freeTotal.plus(uncapped[i]!);
    });
    const lambda = freeTotal.isZero() ? ZERO : ONE.minus(cappedTotal).div(freeTotal);
    weights = inputs.map((x, i) => (capped[i] ? x.cap : uncapped[i]!.times(lambda)));
    let changed = false;
    inputs.forEach((x, i) => {
      if (!capped[i] && weights[i]!.gte(x.cap)) {
        capped[i] = true;
        changed = true;
      }
    });
    if (!changed) break;
  }
  // Names that reached their cap exactly are reported at the cap.
  weights = weights.map((w, i) => (capped[i] ? inputs[i]!.cap : w));
  const ratios = weights.map((w, i) => w.div(uncapped[i]!));
  const maxRatio = ratios.reduce((m, r) => (r.gt(m) ? r : m), ZERO);
  return inputs.map((x, i) => ({
    id: x.id,
    uncapped: uncapped[i]!,
    weight: weights[i]!,
    capFactor: ratios[i]!.div(maxRatio),
  }));
}
