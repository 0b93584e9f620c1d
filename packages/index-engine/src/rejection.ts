/**
 * Why an event was refused. A closed union: the table of reasons in docs/replay-contract.md is
 * checked against `REJECT_REASONS` by a test, so the two cannot drift apart.
 */
export const REJECT_REASONS = [
  'malformed_price',
  'non_positive_price',
  'price_out_of_range',
  'unknown_symbol',
  'out_of_order',
  'duplicate_sequence',
  'missing_fx',
  'stale_fx',
  'malformed_fx_rate',
  'non_positive_fx_rate',
  'fx_rate_out_of_range',
  'unknown_fx_pair',
  'fx_jump',
  'unknown_index',
  'invalid_action',
  'duplicate_adjustment',
  'missing_price',
  'level_out_of_range',
  'late',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  readonly reason: RejectReason;
  /** Human-readable detail naming the offending value, e.g. "price was -1.00". */
  readonly detail: string;
  readonly eventTime: number;
  readonly symbol?: string;
  readonly indexId?: string;
  readonly value?: string;
  /** For an index adjustment: which of its `actions` was refused (0-based), so a file reader can name the row. */
  readonly actionIndex?: number;
}
