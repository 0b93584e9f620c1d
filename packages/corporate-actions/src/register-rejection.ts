/**
 * Why the register refused an announcement. `unknown_symbol`, `unknown_index` and `invalid_action`
 * mean what they mean in the engine; the others are the register's own.
 */
export const REGISTER_REJECT_REASONS = [
  'unknown_symbol',
  'unknown_index',
  'invalid_action',
  'ex_date_past',
  'conflicting_action',
  'duplicate_action',
] as const;

export type RegisterRejectReason = (typeof REGISTER_REJECT_REASONS)[number];

export interface RegisterRejection {
  readonly reason: RegisterRejectReason;
  /** Human-readable, naming the offending value. */
  readonly detail: string;
  readonly actionId: string;
  readonly value?: string;
}
