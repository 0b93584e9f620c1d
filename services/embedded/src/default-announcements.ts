import { type Announcement, derivedActionId } from '@indexflow/corporate-actions';
import type { CorporateAction } from '@indexflow/index-engine';

/**
 * The corporate actions of the default run, all on its first day, so a one-day run shows one
 * adjustment: a bonus issue on an A-share held by all three seed indices, and an HKD cash dividend
 * on an HK constituent (the dividend's drop is converted at the day's HKDCNY).
 */
export function defaultAnnouncements(exDate: string, announcedAt: number): Announcement[] {
  const actions: CorporateAction[] = [
    { type: 'bonus', symbol: '300017.SZ', ratio: '0.4' },
    { type: 'cash_dividend', symbol: '0700.HK', amount: '2.40' },
  ];
  return actions.map((action) => ({
    actionId: derivedActionId(exDate, action),
    exDate,
    action,
    announcedAt,
  }));
}
