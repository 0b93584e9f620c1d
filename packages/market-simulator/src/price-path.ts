import { NORMAL_SCALE, type SeededRandom } from './seeded-random.js';

const PPB = 1_000_000_000n;
const SCALE = BigInt(NORMAL_SCALE);

/**
 * Returns the standard deviation, in parts per billion, of a relative move over `durationMs` when a
 * whole trading day of `dayMs` has standard deviation `dailyVolatility` (square-root-of-time rule).
 * Only IEEE-exact operations (×, ÷, sqrt, round) are used, so every engine gets the same integer.
 */
export function volatilityPpb(dailyVolatility: number, durationMs: number, dayMs: number): number {
  return Math.round(dailyVolatility * Math.sqrt(durationMs / dayMs) * 1e9);
}

/**
 * Moves a latent price (integer, any unit) by one Gaussian-like relative step in exact integer
 * arithmetic: latent × (1 + σ·z), with σ in ppb and z from `SeededRandom.normal()`.
 */
export function stepPrice(latent: number, sigmaPpb: number, random: SeededRandom): number {
  const z = random.normal();
  return latent + Number((BigInt(latent) * BigInt(sigmaPpb) * BigInt(z)) / (PPB * SCALE));
}

/** Clamps an integer into [low, high]. */
export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
