import type { CloseFxBasis, OfficialClose } from '@indexflow/index-engine';
import { RecordShapeError } from './kafka-errors.js';
import type { DecimalString, EpochMillis } from './record-types.js';

/** io.indexflow.CloseFx, nested in IndexCloseRecord. */
export interface CloseFxRecord {
  readonly pair: string;
  readonly rate: DecimalString;
  readonly eventTime: EpochMillis;
  readonly basis: 'FIXING' | 'STREAMED';
  readonly source: string | null;
}

/** io.indexflow.CloseConstituent, nested in IndexCloseRecord. */
export interface CloseConstituentRecord {
  readonly symbol: string;
  readonly currency: string;
  readonly price: DecimalString;
  readonly fxRate: DecimalString;
  readonly indexShares: DecimalString;
  readonly marketValue: DecimalString;
  readonly weight: DecimalString;
  readonly contribution: DecimalString;
  readonly dayContribution: DecimalString | null;
}

/** io.indexflow.IndexClose (schemas/index-close.avsc). */
export interface IndexCloseRecord {
  readonly indexId: string;
  readonly tradingDate: string;
  readonly currency: string;
  readonly closeTime: EpochMillis;
  readonly level: DecimalString;
  readonly prevClose: DecimalString | null;
  readonly open: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  readonly divisor: DecimalString;
  readonly marketValue: DecimalString;
  readonly fx: CloseFxRecord | null;
  readonly constituents: readonly CloseConstituentRecord[];
}

const BASIS: Readonly<Record<CloseFxBasis, CloseFxRecord['basis']>> = {
  fixing: 'FIXING',
  streamed: 'STREAMED',
};

/** The Kafka key of a close: one record per (index, trading date), so compaction keeps the latest. */
export function indexCloseKey(close: Pick<IndexCloseRecord, 'indexId' | 'tradingDate'>): string {
  return `${close.indexId}:${close.tradingDate}`;
}

/** Returns the index-close.avsc record of an engine close; its decimals are already plain strings. */
export function closeToRecord(close: OfficialClose, currency = 'CNY'): IndexCloseRecord {
  return {
    indexId: close.indexId,
    tradingDate: close.tradingDate,
    currency,
    closeTime: close.closeTime,
    level: close.level,
    prevClose: close.prevClose,
    open: close.open,
    high: close.high,
    low: close.low,
    divisor: close.divisor,
    marketValue: close.marketValue,
    fx:
      close.fx === null
        ? null
        : {
            pair: close.fx.pair,
            rate: close.fx.rate,
            eventTime: close.fx.eventTime,
            basis: BASIS[close.fx.basis],
            source: close.fx.source,
          },
    constituents: close.constituents.map((c) => ({ ...c })),
  };
}

/**
 * Checks that a decoded value has the shape of an IndexClose record (a record written with another
 * schema decodes "successfully" into the wrong shape) and returns it typed.
 */
export function requireCloseRecord(value: unknown): IndexCloseRecord {
  const schema = 'index-close';
  if (typeof value !== 'object' || value === null)
    throw new RecordShapeError({ schema, field: '(record)', value });
  const record = value as Record<string, unknown>;
  for (const field of ['indexId', 'tradingDate', 'level', 'divisor'] as const) {
    if (typeof record[field] !== 'string')
      throw new RecordShapeError({ schema, field, value: record[field] });
  }
  if (!Array.isArray(record.constituents))
    throw new RecordShapeError({ schema, field: 'constituents', value: record.constituents });
  return value as IndexCloseRecord;
}
