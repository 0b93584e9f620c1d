import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEED_INDEX_IDS, type SeedIndexId } from './report-top10.js';

export type CapTier = '10%' | '7.5%' | '5%';
export type TradingCurrency = 'CNY' | 'HKD';

/** Constituent fields a seed definition may mark as illustrative (not taken from the report). */
export type ConstituentField =
  | 'symbol'
  | 'name'
  | 'currency'
  | 'shares'
  | 'capTier'
  | 'targetWeight'
  | 'referencePrice';

/** Index-level fields a seed definition may mark as illustrative. */
export type IndexField = 'currency' | 'initialLevel' | 'referenceFx' | 'notionalMarketValue';

export interface SeedConstituent {
  readonly symbol: string;
  readonly name: string;
  /** Trading currency: CNY for .SH/.SZ, HKD for .HK. */
  readonly currency: TradingCurrency;
  /** Index shares q_i = w_i × M / (P_i × FX_i), a decimal string (4 dp at most). */
  readonly shares: string;
  readonly capTier: CapTier;
  /** Target (final capped) weight as a fraction, e.g. '0.1000'. */
  readonly targetWeight: string;
  /** Close on the reference date in the trading currency. */
  readonly referencePrice: string;
  /** Names of the fields of this entry that do not come from the report. */
  readonly illustrative: readonly ConstituentField[];
}

export interface SeedIndexIllustrativeNotes {
  readonly fields: readonly IndexField[];
  readonly constituents: string;
  readonly referencePrices: string;
  readonly capTiers: string;
  readonly shares: string;
}

/** One seed index in the public replay format (indices/*.json); the replay ignores extra fields. */
export interface SeedIndexDefinition {
  readonly id: SeedIndexId;
  readonly name: string;
  /** Index currency. */
  readonly currency: 'CNY';
  readonly initialLevel: string;
  readonly referenceDate: string;
  /** CNY per 1 HKD used to set the shares. */
  readonly referenceFx: string;
  /** Notional index market value M (CNY) used to set the shares. */
  readonly notionalMarketValue: string;
  readonly source: string;
  readonly constituents: readonly SeedConstituent[];
  readonly illustrative: SeedIndexIllustrativeNotes;
}

/** Thrown when a data file does not have the seed-definition shape; carries the offending file and field. */
export class SeedIndexDefinitionError extends Error {
  readonly retriable = false;
  constructor(
    readonly file: string,
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`seed index file ${file}: field ${field} was ${JSON.stringify(value)}`);
    this.name = 'SeedIndexDefinitionError';
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Returns the path of the data file of one seed index. */
export function seedIndexFile(id: SeedIndexId): string {
  return fileURLToPath(new URL(`../data/${id}.json`, import.meta.url));
}

function check(file: string, field: string, value: unknown, ok: boolean): void {
  if (!ok) throw new SeedIndexDefinitionError(file, field, value);
}

/** Parses and shape-checks one seed index definition from JSON text. */
export function parseSeedIndexDefinition(text: string, file = '<text>'): SeedIndexDefinition {
  const raw = JSON.parse(text) as Record<string, unknown>;
  check(file, 'id', raw.id, SEED_INDEX_IDS.includes(raw.id as SeedIndexId));
  for (const key of ['initialLevel', 'referenceFx', 'notionalMarketValue'] as const) {
    check(file, key, raw[key], typeof raw[key] === 'string' && DECIMAL.test(raw[key] as string));
  }
  check(file, 'constituents', raw.constituents, Array.isArray(raw.constituents));
  for (const [i, c] of (raw.constituents as Record<string, unknown>[]).entries()) {
    for (const key of ['shares', 'targetWeight', 'referencePrice'] as const) {
      const value = c[key];
      check(file, `constituents[${i}].${key}`, value, typeof value === 'string' && DECIMAL.test(value));
    }
    check(file, `constituents[${i}].currency`, c.currency, c.currency === 'CNY' || c.currency === 'HKD');
    check(file, `constituents[${i}].capTier`, c.capTier, ['10%', '7.5%', '5%'].includes(c.capTier as string));
    check(file, `constituents[${i}].illustrative`, c.illustrative, Array.isArray(c.illustrative));
  }
  return raw as unknown as SeedIndexDefinition;
}

/** Loads one seed index definition from the package's data directory. */
export function loadSeedIndexDefinition(id: SeedIndexId): SeedIndexDefinition {
  const file = seedIndexFile(id);
  return parseSeedIndexDefinition(readFileSync(file, 'utf8'), file);
}

/** Loads the three seed index definitions (995365.SSI, 995366.SSI, 995367.SSI). */
export function loadSeedIndexDefinitions(): readonly SeedIndexDefinition[] {
  return SEED_INDEX_IDS.map(loadSeedIndexDefinition);
}
