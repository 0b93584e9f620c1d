import type { CorporateAction } from '@indexflow/index-engine';

/** One announced action as the register keeps it: the engine's action plus its identity and date. */
export interface Announcement {
  /** Stable id; a later announcement with the same id amends the earlier one. */
  readonly actionId: string;
  /** YYYY-MM-DD; the action applies at 00:00 Asia/Shanghai of this date, before any event of it. */
  readonly exDate: string;
  readonly action: CorporateAction;
  /** When it was announced or last amended, epoch ms (informational; never orders anything). */
  readonly announcedAt: number;
}

/** Same action, same date: an identical re-delivery changes nothing. */
export function sameContent(a: Announcement, b: Announcement): boolean {
  return a.exDate === b.exDate && actionKey(a.action) === actionKey(b.action);
}

const FIELDS = ['type', 'symbol', 'indexId', 'ratio', 'price', 'amount', 'shares', 'currency'] as const;

/** A canonical text of the action's content (not its id), for equality and duplicate checks. */
export function actionKey(action: CorporateAction): string {
  return FIELDS.map((field) => action[field] ?? '').join('|');
}

/** What makes two announcements "the same action" when their ids differ. */
export function slotKey(a: Announcement): string {
  return [a.exDate, a.action.type, a.action.symbol, a.action.indexId ?? ''].join('|');
}
