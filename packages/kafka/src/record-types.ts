// TypeScript shapes of the Avro records in schemas/*.avsc. Every decimal is a `DecimalString`
// (see schemas/README.md, "Decimal encoding"); times are epoch milliseconds; sequences are numbers
// because avsc decodes Avro `long` to a JS number (exact up to 2^53).
import type { Market, TradingPhase } from '@indexflow/market-calendar';

/** A plain decimal number as text, e.g. "1008.629298878400000000". */
export type DecimalString = string;

/** Epoch milliseconds UTC (Avro `long` with logical type `timestamp-millis`). */
export type EpochMillis = number;

// A tick's market and trading phase are the market calendar's types (schemas/market-tick.avsc's enums).
export type { Market, TradingPhase };

/** io.indexflow.MarketTick (schemas/market-tick.avsc). */
export interface MarketTickRecord {
  readonly symbol: string;
  readonly market: Market;
  readonly currency: string;
  readonly eventTime: EpochMillis;
  readonly sequence: number;
  readonly lastPrice: DecimalString;
  readonly volume: DecimalString;
  readonly turnover: DecimalString;
  readonly bidPrice: DecimalString | null;
  readonly askPrice: DecimalString | null;
  readonly tradingPhase: TradingPhase;
}

/** io.indexflow.FxRate (schemas/fx-rate.avsc). */
export interface FxRateRecord {
  readonly pair: string;
  readonly rate: DecimalString;
  readonly eventTime: EpochMillis;
  readonly source: string;
  readonly sequence: number;
}

export type CorporateActionType =
  | 'split'
  | 'bonus'
  | 'rights'
  | 'cash_dividend'
  | 'special_dividend'
  | 'shares_change'
  | 'add'
  | 'delete';

/** io.indexflow.CorporateAction (schemas/corporate-action.avsc). */
export interface CorporateActionRecord {
  readonly actionId: string;
  readonly type: CorporateActionType;
  readonly symbol: string;
  readonly indexId: string | null;
  /** YYYY-MM-DD in the listing exchange's calendar. */
  readonly exDate: string;
  readonly ratio: DecimalString | null;
  readonly price: DecimalString | null;
  readonly amount: DecimalString | null;
  readonly shares: DecimalString | null;
  readonly currency: string | null;
  readonly announcedAt: EpochMillis;
}

/** io.indexflow.IndexAdjustment (schemas/index-adjustment.avsc). */
export interface IndexAdjustmentRecord {
  readonly adjustmentId: string;
  readonly indexId: string;
  /** YYYY-MM-DD. */
  readonly effectiveDate: string;
  readonly eventTime: EpochMillis;
  /** Applied in this order; each action's indexId is null or equal to indexId (unless indexId is `*`). */
  readonly actions: readonly CorporateActionRecord[];
  /** The corporate-actions service's pro-forma per affected index (informational). */
  readonly proforma: readonly IndexProformaRecord[];
}

/** `indexId` of a date-wide adjustment: every index's actions of one date in one record. */
export const ALL_INDICES = '*';

/** io.indexflow.IndexProforma, nested in IndexAdjustmentRecord. */
export interface IndexProformaRecord {
  readonly indexId: string;
  readonly divisorBefore: DecimalString | null;
  readonly divisorAfter: DecimalString | null;
  readonly levelBefore: DecimalString | null;
  readonly levelAfter: DecimalString | null;
  readonly constituents: readonly ConstituentProformaRecord[];
}

/** io.indexflow.ConstituentProforma, nested in IndexProformaRecord. */
export interface ConstituentProformaRecord {
  readonly symbol: string;
  readonly priceBefore: DecimalString | null;
  readonly priceAfter: DecimalString | null;
  readonly sharesBefore: DecimalString | null;
  readonly sharesAfter: DecimalString | null;
}

export type LevelTrigger = 'TICK' | 'FX_RATE' | 'INDEX_ADJUSTMENT' | 'SESSION_CLOSE';

/** io.indexflow.FxObservation, nested in IndexLevelRecord. */
export interface FxObservationRecord {
  readonly observationId: string;
  readonly pair: string;
  readonly rate: DecimalString;
  readonly eventTime: EpochMillis;
}

/** io.indexflow.ConstituentContribution, nested in IndexLevelRecord. */
export interface ConstituentContributionRecord {
  readonly symbol: string;
  readonly price: DecimalString;
  readonly fxRate: DecimalString;
  readonly indexShares: DecimalString;
  /** Index points. */
  readonly contribution: DecimalString;
  /** Fraction of 1. */
  readonly weight: DecimalString;
}

/** io.indexflow.IndexLevel (schemas/index-level.avsc). */
export interface IndexLevelRecord {
  readonly indexId: string;
  readonly currency: string;
  readonly eventTime: EpochMillis;
  readonly sequence: number;
  readonly trigger: LevelTrigger;
  readonly triggerSymbol: string | null;
  readonly level: DecimalString;
  readonly prevClose: DecimalString | null;
  readonly change: DecimalString | null;
  readonly changePercent: DecimalString | null;
  readonly open: DecimalString | null;
  readonly high: DecimalString | null;
  readonly low: DecimalString | null;
  readonly divisor: DecimalString;
  readonly marketValue: DecimalString;
  readonly totalReturnLevel: DecimalString | null;
  readonly netTotalReturnLevel: DecimalString | null;
  readonly fxObservation: FxObservationRecord | null;
  readonly stale: boolean;
  readonly constituents: readonly ConstituentContributionRecord[] | null;
}
