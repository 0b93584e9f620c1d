import type { CorporateAction } from '../corporate-actions/corporate-action.js';

/** Where an event came from: a file and line, or a topic-partition and offset. Used for order ties and reports. */
export interface EventPosition {
  readonly source: string;
  readonly offset: number;
}

interface EventBase {
  /** Exchange/event time in epoch milliseconds. The only time that affects levels or order. */
  readonly eventTime: number;
  readonly position?: EventPosition;
}

export interface TickEvent extends EventBase {
  readonly kind: 'tick';
  readonly symbol: string;
  /** Last price in the symbol's trading currency, as a decimal string. */
  readonly price: string;
  /** Feed sequence per symbol, when the source has one; used to refuse duplicates. */
  readonly sequence?: number;
}

export interface FxRateEvent extends EventBase {
  readonly kind: 'fx-rate';
  /** HKDCNY (CNY per 1 HKD), CNYHKD (inverted on entry), USDCNY or USDHKD (crossed). */
  readonly pair: string;
  readonly rate: string;
  /** An identifier of this observation, stamped on the levels that use it. */
  readonly observationId?: string;
  /**
   * Who published the rate (e.g. `CFETS-fixing`). A rate whose source is an index's
   * `close.fxFixingSource` is that day's closing fixing, not a streamed rate (see official closes).
   */
  readonly source?: string;
}

export interface IndexAdjustmentEvent extends EventBase {
  readonly kind: 'index-adjustment';
  /** Identifier of the adjustment record, when it has one; an id is applied at most once. */
  readonly adjustmentId?: string;
  /** Ex-date or effective date (YYYY-MM-DD) shared by every action of this event, applied in order. */
  readonly effectiveDate: string;
  readonly actions: readonly CorporateAction[];
}

export interface SessionEvent extends EventBase {
  readonly kind: 'session';
  /** `open` starts a trading date: the last level becomes the previous close. `close` publishes the close. */
  readonly phase: 'open' | 'close';
  readonly tradingDate: string;
}

export type IndexEvent = TickEvent | FxRateEvent | IndexAdjustmentEvent | SessionEvent;

export function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
