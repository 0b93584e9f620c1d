import { fileURLToPath } from 'node:url';

/** Directory holding the seed index definitions (<id>.json). */
export const DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));
/** Directory of the sample dataset in the public replay format (indices/*.json, ticks.csv, fx.csv, actions.csv). */
export const SAMPLE_DIR = fileURLToPath(new URL('../sample/', import.meta.url));

export {
  buildSeedIndexDefinition,
  indexShares,
  SHARES_DECIMAL_PLACES,
  serializeSeedIndexDefinition,
} from './build-seed-index-definition.js';
export {
  REPORT_AS_OF,
  REPORT_INDEX_NAMES,
  REPORT_SOURCE,
  REPORT_TOP10,
  type ReportTop10Row,
  SEED_INDEX_IDS,
  type SeedIndexId,
} from './report-top10.js';
export {
  generateSample,
  SAMPLE_ACTIONS,
  SAMPLE_DAYS,
  SAMPLE_SEED,
  type SampleAction,
} from './sample-generator.js';
export {
  type CapTier,
  type ConstituentField,
  type IndexField,
  loadSeedIndexDefinition,
  loadSeedIndexDefinitions,
  parseSeedIndexDefinition,
  type SeedConstituent,
  type SeedIndexDefinition,
  SeedIndexDefinitionError,
  type SeedIndexIllustrativeNotes,
  seedIndexFile,
  type TradingCurrency,
} from './seed-index-definitions.js';
export { tradingCurrency } from './trading-currency.js';
