import type { Announcement, IndexProforma } from '@indexflow/corporate-actions';
import { adjustmentEventTime } from '@indexflow/corporate-actions';
import type { CorporateAction } from '@indexflow/index-engine';
import {
  ALL_INDICES,
  type CorporateActionRecord,
  type IndexAdjustmentRecord,
  type IndexProformaRecord,
} from '@indexflow/kafka';

const OPTIONAL = ['ratio', 'price', 'amount', 'shares', 'currency'] as const;

/** The register's view of a corporate-action record (nulls become absent fields). */
export function recordToAnnouncement(record: CorporateActionRecord): Announcement {
  const action = {
    type: record.type,
    symbol: record.symbol,
    ...(record.indexId === null ? {} : { indexId: record.indexId }),
    ...Object.fromEntries(OPTIONAL.flatMap((k) => (record[k] === null ? [] : [[k, record[k]]]))),
  } as CorporateAction;
  return { actionId: record.actionId, exDate: record.exDate, action, announcedAt: record.announcedAt };
}

export function announcementToRecord(announcement: Announcement): CorporateActionRecord {
  const { action } = announcement;
  return {
    actionId: announcement.actionId,
    type: action.type,
    symbol: action.symbol,
    indexId: action.indexId ?? null,
    exDate: announcement.exDate,
    ratio: action.ratio ?? null,
    price: action.price ?? null,
    amount: action.amount ?? null,
    shares: action.shares ?? null,
    currency: action.currency ?? null,
    announcedAt: announcement.announcedAt,
  };
}

/** Identifier of the date-wide adjustment of `date`; the calculator applies each at most once. */
export function adjustmentId(date: string): string {
  return `${ALL_INDICES}:${date}`;
}

/** Only what changes: constituents whose price, shares or membership the actions touch. */
function proformaRecord(proforma: IndexProforma): IndexProformaRecord {
  return {
    indexId: proforma.indexId,
    divisorBefore: proforma.divisorBefore,
    divisorAfter: proforma.divisorAfter,
    levelBefore: proforma.levelBefore,
    levelAfter: proforma.levelAfter,
    constituents: proforma.constituents
      .filter((c) => c.sharesBefore !== c.sharesAfter || c.priceBefore !== c.priceAfter)
      .map((c) => ({
        symbol: c.symbol,
        priceBefore: c.priceBefore,
        priceAfter: c.priceAfter,
        sharesBefore: c.sharesBefore,
        sharesAfter: c.sharesAfter,
      })),
  };
}

/** The date-wide adjustment record: every action of the date in register order, and the pro-forma. */
export function adjustmentRecord(
  date: string,
  announcements: readonly Announcement[],
  proformas: readonly IndexProforma[],
): IndexAdjustmentRecord {
  return {
    adjustmentId: adjustmentId(date),
    indexId: ALL_INDICES,
    effectiveDate: date,
    eventTime: adjustmentEventTime(date),
    actions: announcements.map(announcementToRecord),
    proforma: proformas.map(proformaRecord),
  };
}
