/**
 * A seeded PRNG (mulberry32) that hands out integers only, plus the few distributions the simulator
 * needs, built from integer operations and comparisons. No Math.log/Math.exp/Math.cos: their last
 * bits may differ between engines, and the simulator promises identical bytes everywhere.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Returns a uniform integer in [0, 2^32). */
  uint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Returns a uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling, so unbiased). */
  below(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % n;
    }
  }

  /**
   * Returns an approximately normal integer with mean 0 and standard deviation NORMAL_SCALE
   * (Irwin–Hall: the sum of 12 uniform 16-bit integers, centred and doubled).
   */
  normal(): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.uint32() >>> 16;
    return 2 * sum - 12 * 65535;
  }

  /**
   * Returns an Exp(1) draw (von Neumann's comparison method: exact, uniforms and comparisons only).
   * Each round draws u1 > u2 > … until the run breaks; an odd run length accepts k + u1.
   */
  exponential(): number {
    for (let k = 0; ; k++) {
      const first = this.uint32();
      let previous = first;
      let length = 1;
      for (;;) {
        const next = this.uint32();
        if (next >= previous) break;
        previous = next;
        length++;
      }
      if (length % 2 === 1) return k + first / 4294967296;
    }
  }
}

/** Standard deviation of `SeededRandom.normal()`. */
export const NORMAL_SCALE = 131072;

/** Returns the 32-bit FNV-1a hash of a string, used to derive one stream seed per symbol. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
