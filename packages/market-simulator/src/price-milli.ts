import { SimulationInputError } from './simulation-input-error.js';

/**
 * Prices inside the simulator are whole thousandths of the trading currency ("milli"): fine enough
 * for the smallest HK tick (0.001), exact in integer arithmetic.
 */
const DECIMAL = /^(\d+)(?:\.(\d{1,3}))?$/;

/** Parses a positive decimal string with at most 3 decimal places into milli. */
export function parseMilli(text: string, field = 'price'): number {
  const match = DECIMAL.exec(text);
  if (!match) throw new SimulationInputError(field, text, 'a decimal string with at most 3 decimal places');
  const milli = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  if (!Number.isSafeInteger(milli)) throw new SimulationInputError(field, text, 'a price below 9e12');
  return milli;
}

/** Formats milli with 2 decimal places, or 3 when the value is not on the 0.01 grid. */
export function formatMilli(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const fraction = String(milli % 1000).padStart(3, '0');
  return fraction.endsWith('0') ? `${whole}.${fraction.slice(0, 2)}` : `${whole}.${fraction}`;
}
