export type { DatasetContents, DatasetSummary, IndexFileContent } from './dataset-writer.js';
export {
  ACTIONS_CSV_HEADER,
  FX_CSV_HEADER,
  formatActionLine,
  formatFxLine,
  formatTickLine,
  TICKS_CSV_HEADER,
  writeDataset,
} from './dataset-writer.js';
export { formatMilli, parseMilli } from './price-milli.js';
export type { HkSpreadOptions, PriceLimits, SpreadBand } from './price-rules.js';
export {
  A_SHARE_GRID,
  A_SHARE_TICK_MILLI,
  aShareLimitPercent,
  aShareLimits,
  HK_MAX_PRICE_MILLI,
  HK_SPREAD_PHASE1_DATE,
  HK_SPREADS_BEFORE_PHASE1,
  HK_SPREADS_PHASE1,
  HK_SPREADS_PHASE2,
  hkSpreadTable,
  isOnSpreadTable,
  roundHalfUpTo,
  roundMicroToSpreadTable,
  tickOfBand,
} from './price-rules.js';
export { fnv1a32, NORMAL_SCALE, SeededRandom } from './seeded-random.js';
export type { Market, PrintPhase, SessionTable, SessionWindow } from './sessions.js';
export {
  ASHARE_SESSIONS,
  continuousMs,
  HK_HALF_DAY_SESSIONS,
  HK_SESSIONS,
  localTimeMs,
  marketOfSymbol,
  printPhaseAt,
  sessionTable,
} from './sessions.js';
export type {
  SimulatedAction,
  SimulatedFxRate,
  SimulatedFxSpec,
  SimulatedRow,
  SimulatedSuspension,
  SimulatedSymbol,
  SimulatedTick,
  SimulateMarketOptions,
} from './simulate-market.js';
export {
  DEFAULT_FX_EVERY_MS,
  DEFAULT_HK_MEAN_TRADE_GAP_MS,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
  defaultVolatility,
  simulatedDays,
  simulateMarket,
} from './simulate-market.js';
export { SimulationInputError } from './simulation-input-error.js';
export type { TradingCalendarOptions, TradingDay } from './trading-calendar.js';
export { addCalendarDays, isWeekday, tradingDays } from './trading-calendar.js';
