export { Dec, LevelDec, parseDecimal, formatFixed, formatPlain, EXACT_PRICE_DECIMALS, CROSS_RATE_DECIMALS } from './decimal.js';
export {
  PRICE_DECIMALS,
  FX_DECIMALS,
  SHARES_DECIMALS,
  MARKET_VALUE_DECIMALS,
  LEVEL_DECIMALS as LEVEL_SCALE_DECIMALS,
  toScaled,
  fromScaled,
  formatScaledFixed,
} from './fixed-point.js';
export { parseScaledPrice } from './price-parser.js';
export type { ScaledPrice } from './price-parser.js';
export { LevelRecord, formatLevelFixed } from './engine/level-record.js';
export { LevelQuotient } from './engine/level-quotient.js';
export { currencyOfSymbol, marketOfSymbol, isCurrencyCode } from './identifiers.js';
export type { IndexId, InstrumentSymbol, Market, CurrencyCode } from './identifiers.js';
export { REJECT_REASONS } from './rejection.js';
export type { Rejection, RejectReason } from './rejection.js';
export type {
  IndexEvent,
  TickEvent,
  FxRateEvent,
  IndexAdjustmentEvent,
  SessionEvent,
  EventPosition,
} from './events/index-event.js';
export { assertNever } from './events/index-event.js';
export { compareEvents, kindRank } from './events/event-order.js';
export type { IndexDefinition, ConstituentDefinition } from './index-definition.js';
export type { IndexLevel, ConstituentContribution, LevelTrigger } from './index-level.js';
export { IndexEngine, createIndexEngine, IndexDefinitionError } from './engine/index-engine.js';
export type { IndexState } from './engine/index-engine.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { ApplyResult } from './engine/apply-result.js';
export { CORPORATE_ACTION_TYPES, isCorporateActionType } from './corporate-actions/corporate-action.js';
export type { CorporateAction, CorporateActionType } from './corporate-actions/corporate-action.js';
export { exRightsPrices, exchangeReferencePrice } from './corporate-actions/reference-price.js';
export type { ExRightsInputs, ExRightsPrices, ReferencePriceRounding } from './corporate-actions/reference-price.js';
export { adjustDivisor } from './corporate-actions/adjust-divisor.js';
export { capWeights, InfeasibleCapsError } from './weighting/cap-weights.js';
export type { CapInput, CappedWeight } from './weighting/cap-weights.js';
export { sharesFromWeights } from './weighting/shares-from-weights.js';
export type { WeightTarget } from './weighting/shares-from-weights.js';
export { inclusionFactor } from './weighting/tiered-inclusion.js';
export { chainTotalReturn } from './returns/total-return.js';
export type { TotalReturnConvention } from './returns/total-return.js';
export { FxBook, SUPPORTED_FX_PAIRS } from './fx/fx-book.js';
export type { FxObservation } from './fx/fx-book.js';
export { SnapshotRestoreError } from './engine/engine-snapshot.js';
export type { EngineSnapshot, IndexSnapshot } from './engine/engine-snapshot.js';
