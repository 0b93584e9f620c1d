import {
  type ConstituentContribution,
  type CorporateAction,
  type Dec,
  type EventPosition,
  type FxObservation,
  type FxRateEvent,
  formatPlain,
  type IndexAdjustmentEvent,
  type IndexLevel,
  LevelRecord,
  type LevelTrigger,
  levelChange,
  PRICE_ACTION_TYPES,
  type TickEvent,
} from '@indexflow/index-engine';
import { RecordShapeError } from './kafka-errors.js';
import type {
  ConstituentContributionRecord,
  CorporateActionRecord,
  FxObservationRecord,
  FxRateRecord,
  IndexAdjustmentRecord,
  IndexLevelRecord,
  LevelTrigger as LevelTriggerRecord,
  MarketTickRecord,
} from './record-types.js';
import { ALL_INDICES } from './record-types.js';
import { type LevelDecimalTexts, scaledLevelTexts } from './scaled-level-text.js';

// Avro records ↔ engine types. Decoding checks the fields the engine reads (a record written with
// another schema decodes "successfully" into the wrong shape); encoding writes every decimal in
// plain notation (formatPlain = toFixed(), never toString(), which can switch to exponents).

function requireString(schema: string, record: object, field: string): string {
  const value = (record as Record<string, unknown>)[field];
  if (typeof value !== 'string') throw new RecordShapeError({ schema, field, value });
  return value;
}

function requireTime(schema: string, record: object, field: string): number {
  const value = (record as Record<string, unknown>)[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new RecordShapeError({ schema, field, value });
  return value;
}

function optionalString(schema: string, record: object, field: string): string | undefined {
  const value = (record as Record<string, unknown>)[field];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw new RecordShapeError({ schema, field, value });
  return value;
}

function requireObject(schema: string, field: string, value: unknown): object {
  if (typeof value !== 'object' || value === null) throw new RecordShapeError({ schema, field, value });
  return value;
}

const withPosition = (position: EventPosition | undefined) => (position === undefined ? {} : { position });

/** Returns the TickEvent of a MarketTick record: last price as the price, the feed sequence kept. */
export function tickRecordToEvent(record: MarketTickRecord, position?: EventPosition): TickEvent {
  const schema = 'market-tick';
  requireObject(schema, '(record)', record);
  const sequence = requireTime(schema, record, 'sequence');
  return {
    kind: 'tick',
    eventTime: requireTime(schema, record, 'eventTime'),
    symbol: requireString(schema, record, 'symbol'),
    price: requireString(schema, record, 'lastPrice'),
    sequence,
    ...withPosition(position),
  };
}

/**
 * Returns the FxRateEvent of an FxRate record. The observation id is derived from the record alone
 * (`source:pair:sequence`), so a replay of the same topic stamps the same id on its levels.
 */
export function fxRecordToEvent(record: FxRateRecord, position?: EventPosition): FxRateEvent {
  const schema = 'fx-rate';
  requireObject(schema, '(record)', record);
  const pair = requireString(schema, record, 'pair');
  const source = requireString(schema, record, 'source');
  const sequence = requireTime(schema, record, 'sequence');
  return {
    kind: 'fx-rate',
    eventTime: requireTime(schema, record, 'eventTime'),
    pair,
    rate: requireString(schema, record, 'rate'),
    observationId: `${source}:${pair}:${sequence}`,
    source,
    ...withPosition(position),
  };
}

function actionRecordToAction(
  record: CorporateActionRecord,
  indexId: string,
  index: number,
): CorporateAction {
  const schema = 'index-adjustment';
  const field = (name: string) => `actions[${index}].${name}`;
  requireObject(schema, field('(record)'), record);
  const type = record.type;
  if (typeof type !== 'string') throw new RecordShapeError({ schema, field: field('type'), value: type });
  const symbol = record.symbol;
  if (typeof symbol !== 'string')
    throw new RecordShapeError({ schema, field: field('symbol'), value: symbol });
  const optional = (name: 'ratio' | 'price' | 'amount' | 'shares' | 'currency') => {
    const value = record[name];
    if (value === null || value === undefined) return {};
    if (typeof value !== 'string') throw new RecordShapeError({ schema, field: field(name), value });
    return { [name]: value };
  };
  // A single-index adjustment scopes each of its actions to that index: a split of a symbol held by
  // two indices arrives once in each index's adjustment and must not apply twice. A date-wide (`*`)
  // adjustment keeps each action's own scope, so a symbol-wide split applies once to every holder.
  const actionIndexId = indexId === ALL_INDICES ? (record.indexId ?? undefined) : (record.indexId ?? indexId);
  if (typeof actionIndexId === 'string' && indexId !== ALL_INDICES && PRICE_ACTION_TYPES.has(type as never)) {
    // The engine applies price actions (split, bonus, rights, dividends) to every index holding the
    // symbol, so one per-index record each would apply them once per index.
    throw new RecordShapeError({
      schema,
      field: field('type'),
      value: `${type} in a single-index adjustment`,
    });
  }
  return {
    type,
    symbol,
    ...(actionIndexId === undefined ? {} : { indexId: actionIndexId }),
    ...optional('ratio'),
    ...optional('price'),
    ...optional('amount'),
    ...optional('shares'),
    ...optional('currency'),
  } as CorporateAction;
}

/** Returns the IndexAdjustmentEvent of an IndexAdjustment record, actions in record order. */
export function adjustmentRecordToEvent(
  record: IndexAdjustmentRecord,
  position?: EventPosition,
): IndexAdjustmentEvent {
  const schema = 'index-adjustment';
  requireObject(schema, '(record)', record);
  const indexId = requireString(schema, record, 'indexId');
  const actions = record.actions;
  if (!Array.isArray(actions)) throw new RecordShapeError({ schema, field: 'actions', value: actions });
  const adjustmentId = optionalString(schema, record, 'adjustmentId');
  return {
    kind: 'index-adjustment',
    ...(adjustmentId === undefined ? {} : { adjustmentId }),
    eventTime: requireTime(schema, record, 'eventTime'),
    effectiveDate: requireString(schema, record, 'effectiveDate'),
    actions: actions.map((action, index) => actionRecordToAction(action, indexId, index)),
    ...withPosition(position),
  };
}

const TRIGGERS: Readonly<Record<LevelTrigger, LevelTriggerRecord>> = {
  tick: 'TICK',
  'fx-rate': 'FX_RATE',
  'index-adjustment': 'INDEX_ADJUSTMENT',
  'session-close': 'SESSION_CLOSE',
};

/** The fields of IndexLevel the record is built from (structural, so a class with getters also fits). */
export type IndexLevelFields = Pick<
  IndexLevel,
  | 'indexId'
  | 'eventTime'
  | 'sequence'
  | 'level'
  | 'divisor'
  | 'marketValue'
  | 'trigger'
  | 'symbol'
  | 'prevClose'
  | 'open'
  | 'high'
  | 'low'
  | 'fxObservationId'
  | 'fxObservation'
  | 'fxStale'
  | 'totalReturnLevel'
  | 'netTotalReturnLevel'
> & {
  readonly contributions:
    | readonly Pick<
        ConstituentContribution,
        'symbol' | 'price' | 'fxRate' | 'indexShares' | 'contribution' | 'weight'
      >[]
    | null;
};

export interface LevelRecordOptions {
  /** Currency the index is calculated in; IndexLevel does not carry it. Default CNY. */
  readonly currency?: string;
  /**
   * Resolves the FX observation a level names, for levels that carry only its id (the engine's
   * levels carry the observation itself). When absent or undefined, the record's is null.
   */
  readonly fxObservation?: (observationId: string) => FxObservationRecord | undefined;
}

// One record per observation object: the engine shares the object between every level that used
// the rate, so its decimal text is formatted once, not once per level.
const observationRecords = new WeakMap<FxObservation, FxObservationRecord>();

function observationRecord(observation: FxObservation): FxObservationRecord {
  let record = observationRecords.get(observation);
  if (record === undefined) {
    record = {
      observationId: observation.observationId,
      pair: 'HKDCNY',
      rate: formatPlain(observation.rate),
      eventTime: observation.eventTime,
    };
    observationRecords.set(observation, record);
  }
  return record;
}

const plainOrNull = (value: InstanceType<typeof Dec> | null): string | null =>
  value === null ? null : formatPlain(value);

/** The decimal texts of any IndexLevelFields, through decimal.js (the reference for scaledLevelTexts). */
export function decimalLevelTexts(level: IndexLevelFields): LevelDecimalTexts {
  const prevClose = level.prevClose;
  const change = levelChange(level.level, prevClose);
  return {
    level: formatPlain(level.level),
    prevClose: plainOrNull(prevClose),
    change: plainOrNull(change?.change ?? null),
    changePercent: plainOrNull(change?.percent ?? null),
    open: plainOrNull(level.open),
    high: plainOrNull(level.high),
    low: plainOrNull(level.low),
    divisor: formatPlain(level.divisor),
    marketValue: formatPlain(level.marketValue),
  };
}

/**
 * Returns the index-level.avsc record of a level. change and changePercent are the engine's
 * `levelChange` against prevClose (the previous official close); both null without one. Constituents are the engine's `contributions` texts as they are (null
 * when the engine computed none).
 */
export function levelToRecord(level: IndexLevelFields, options: LevelRecordOptions = {}): IndexLevelRecord {
  // The engine's records carry exact scaled integers: printing those directly gives the same text
  // as the decimal.js path below at a fraction of the cost (see scaled-level-text.ts).
  const text = level instanceof LevelRecord ? scaledLevelTexts(level) : decimalLevelTexts(level);
  const observationId = level.fxObservationId;
  const fxObservation =
    level.fxObservation != null
      ? observationRecord(level.fxObservation)
      : observationId === null
        ? null
        : (options.fxObservation?.(observationId) ?? null);
  return {
    indexId: level.indexId,
    currency: options.currency ?? 'CNY',
    eventTime: level.eventTime,
    sequence: level.sequence,
    trigger: TRIGGERS[level.trigger],
    triggerSymbol: level.trigger === 'tick' ? (level.symbol ?? null) : null,
    level: text.level,
    prevClose: text.prevClose,
    change: text.change,
    changePercent: text.changePercent,
    open: text.open,
    high: text.high,
    low: text.low,
    divisor: text.divisor,
    marketValue: text.marketValue,
    totalReturnLevel: plainOrNull(level.totalReturnLevel),
    netTotalReturnLevel: plainOrNull(level.netTotalReturnLevel),
    fxObservation,
    stale: level.fxStale,
    constituents:
      level.contributions === null
        ? null
        : level.contributions.map(
            (c): ConstituentContributionRecord => ({
              symbol: c.symbol,
              price: c.price,
              fxRate: c.fxRate,
              indexShares: c.indexShares,
              contribution: c.contribution,
              weight: c.weight,
            }),
          ),
  };
}
