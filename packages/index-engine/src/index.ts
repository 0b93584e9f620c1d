export type { BoundProblem, BoundRefusal } from './bounded-decimal.js';
export { cut, ECHO_LIMIT, echo, isBoundRefusal, parseBounded, rangeProblem } from './bounded-decimal.js';
export type { NumberBound } from './bounds.js';
export {
  ACTION_FIELD_BOUNDS,
  CAP_FACTOR_BOUND,
  DIVISOR_BOUND,
  FX_RATE_BOUND,
  INITIAL_LEVEL_BOUND,
  LEVEL_BOUND,
  PRICE_BOUND,
  SHARES_BOUND,
  WITHHOLDING_BOUND,
} from './bounds.js';
export { adjustDivisor } from './corporate-actions/adjust-divisor.js';
export type { CorporateAction, CorporateActionType } from './corporate-actions/corporate-action.js';
export {
  CORPORATE_ACTION_TYPES,
  isCorporateActionType,
  PRICE_ACTION_TYPES,
} from './corporate-actions/corporate-action.js';
export type {
  ExRightsInputs,
  ExRightsPrices,
  ReferencePriceRounding,
} from './corporate-actions/reference-price.js';
export { exchangeReferencePrice, exRightsPrices } from './corporate-actions/reference-price.js';
export {
  CROSS_RATE_DECIMALS,
  Dec,
  EXACT_PRICE_DECIMALS,
  formatFixed,
  formatPlain,
  LevelDec,
  parseDecimal,
  percentOfFraction,
  sameDecimalText,
} from './decimal.js';
export type { ApplyResult } from './engine/apply-result.js';
export type { CloseStateSnapshot } from './engine/close-state.js';
export { closeInstantOf, closeVenues, parseCloseTime } from './engine/close-time.js';
export type { ConstituentFigures, ConstituentInputs, IndexFigures } from './engine/constituent-figures.js';
export { constituentFigures, constituentWeights } from './engine/constituent-figures.js';
export type { ContributionsMode } from './engine/constituent-shares.js';
export { CONTRIBUTIONS_MODES } from './engine/constituent-shares.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { EngineSnapshot, IndexSnapshot } from './engine/engine-snapshot.js';
export { SnapshotRestoreError } from './engine/engine-snapshot.js';
export type { IndexState } from './engine/index-engine.js';
export { createIndexEngine, IndexDefinitionError, IndexEngine } from './engine/index-engine.js';
export { LevelQuotient } from './engine/level-quotient.js';
export { formatLevelFixed, LevelRecord } from './engine/level-record.js';
export type {
  CloseConstituent,
  CloseFx,
  CloseFxBasis,
  OfficialClose,
} from './engine/official-close.js';
export { isCalendarDate } from './engine/previous-close.js';
export { compareEvents, eventSubject, kindRank, STREAM_KIND_RANK } from './events/event-order.js';
export type {
  EventPosition,
  FxRateEvent,
  IndexAdjustmentEvent,
  IndexEvent,
  SessionEvent,
  TickEvent,
} from './events/index-event.js';
export { assertNever } from './events/index-event.js';
export { tradingDayOf } from './events/trading-date.js';
export {
  FX_DECIMALS,
  formatScaledFixed,
  fromScaled,
  LEVEL_DECIMALS as LEVEL_SCALE_DECIMALS,
  MARKET_VALUE_DECIMALS,
  PRICE_DECIMALS,
  SHARES_DECIMALS,
  toScaled,
} from './fixed-point.js';
export type { FxObservation } from './fx/fx-book.js';
export { FxBook, SUPPORTED_FX_PAIRS } from './fx/fx-book.js';
export type {
  FxFilterResult,
  FxRateFilterOptions,
  FxRateFilterSnapshot,
  PublishedFxRate,
  RawFxQuote,
} from './fx/fx-rate-filter.js';
export { FxFilterOptionError, FxRateFilter } from './fx/fx-rate-filter.js';
export type { CurrencyCode, IndexId, InstrumentSymbol, Market } from './identifiers.js';
export {
  currencyOfSymbol,
  IDENTIFIER_PATTERN,
  IDENTIFIER_RULE,
  isCurrencyCode,
  isValidIdentifier,
  marketOfSymbol,
} from './identifiers.js';
export type { CloseSpec, ConstituentDefinition, IndexDefinition, PreviousClose } from './index-definition.js';
export type { ConstituentContribution, IndexLevel, LevelTrigger } from './index-level.js';
export type { LevelChange } from './level-change.js';
export {
  CHANGE_PERCENT_DIGITS,
  levelChange,
  levelChangeTexts,
  PRINTED_LEVEL_DECIMALS,
  PRINTED_PERCENT_DECIMALS,
  printedLevelChange,
} from './level-change.js';
export type { DecimalTextBounds, DecimalTextProblem, DecimalTextShape } from './number-grammar.js';
export { decimalTextShape, digitProblem } from './number-grammar.js';
export { plainOfQuotient, plainOfScaled } from './plain-text.js';
export type { ScaledPrice } from './price-parser.js';
export { parseScaledPrice } from './price-parser.js';
export type { Rejection, RejectReason } from './rejection.js';
export { REJECT_REASONS } from './rejection.js';
export type { TotalReturnConvention } from './returns/total-return.js';
export { chainTotalReturn } from './returns/total-return.js';
export type { CapInput, CappedWeight } from './weighting/cap-weights.js';
export { capWeights, InfeasibleCapsError } from './weighting/cap-weights.js';
export type { WeightTarget } from './weighting/shares-from-weights.js';
export { sharesFromWeights } from './weighting/shares-from-weights.js';
export { inclusionFactor } from './weighting/tiered-inclusion.js';
