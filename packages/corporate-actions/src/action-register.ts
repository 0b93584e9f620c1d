import type { CorporateAction, IndexAdjustmentEvent, IndexDefinition } from '@indexflow/index-engine';
import { adjustmentEventTime } from './adjustment-time.js';
import { type Announcement, sameContent, slotKey } from './announcement.js';
import type { RegisterRejection } from './register-rejection.js';
import { type ActionUniverse, validateAnnouncement } from './validate-announcement.js';

export type SubmitOutcome =
  | { readonly outcome: 'added' | 'amended' | 'unchanged' | 'cancelled' }
  | { readonly outcome: 'rejected'; readonly rejection: RegisterRejection };

interface Entry {
  readonly announcement: Announcement;
  /** Position of first acceptance: actions of one date apply in this order, amendments keep it. */
  readonly order: number;
}

/** The register as plain JSON, for Redis. */
export interface RegisterSnapshot {
  readonly nextOrder: number;
  readonly entries: ReadonlyArray<Announcement & { readonly order: number }>;
  readonly published: readonly string[];
}

/**
 * The calendar of announced actions: validates each announcement, keeps amendments and
 * cancellations, refuses duplicates and conflicts, and yields one adjustment per ex-date. Pure:
 * the service feeds it from Kafka and persists its snapshot in Redis; `actions import` and the
 * tests run it in memory. Once a date's adjustment is published the date is frozen, so processing
 * an announcement again can never change an index twice.
 */
export class ActionRegister {
  readonly #entries = new Map<string, Entry>();
  readonly #published = new Set<string>();
  readonly #indices: ReadonlySet<string>;
  readonly #symbols: Set<string>;
  #nextOrder = 0;

  constructor(definitions: readonly IndexDefinition[]) {
    this.#indices = new Set(definitions.map((d) => d.id));
    this.#symbols = new Set(definitions.flatMap((d) => d.constituents.map((c) => c.symbol)));
  }

  get #universe(): ActionUniverse {
    return {
      hasIndex: (id) => this.#indices.has(id),
      knowsSymbol: (symbol) => this.#symbols.has(symbol),
    };
  }

  /** Adds or amends an announcement as of `today` (YYYY-MM-DD, Asia/Shanghai). */
  submit(announcement: Announcement, today: string): SubmitOutcome {
    const rejected = (rejection: RegisterRejection): SubmitOutcome => ({ outcome: 'rejected', rejection });
    const existing = this.#entries.get(announcement.actionId);
    if (existing && sameContent(existing.announcement, announcement)) return { outcome: 'unchanged' };
    const frozen = [existing?.announcement.exDate, announcement.exDate].find(
      (date) => date !== undefined && this.#published.has(date),
    );
    if (frozen !== undefined) {
      return rejected({
        reason: 'ex_date_past',
        detail: `${announcement.actionId}: the adjustment of ${frozen} is already published`,
        actionId: announcement.actionId,
        value: frozen,
      });
    }
    const invalid = validateAnnouncement(announcement, this.#universe, today);
    if (invalid) return rejected(invalid);
    const slot = slotKey(announcement);
    for (const [id, other] of this.#entries) {
      if (id === announcement.actionId || slotKey(other.announcement) !== slot) continue;
      const identical = sameContent(other.announcement, announcement);
      return rejected({
        reason: identical ? 'duplicate_action' : 'conflicting_action',
        detail: identical
          ? `${announcement.actionId} repeats ${id}`
          : `${announcement.actionId} is a second ${announcement.action.type} of ${announcement.action.symbol} on ${announcement.exDate}, conflicting with ${id}`,
        actionId: announcement.actionId,
        value: id,
      });
    }
    this.#entries.set(announcement.actionId, {
      announcement,
      order: existing?.order ?? this.#nextOrder++,
    });
    if (announcement.action.type === 'add') this.#symbols.add(announcement.action.symbol);
    return { outcome: existing ? 'amended' : 'added' };
  }

  /** Withdraws an announcement (a tombstone on the compacted topic). */
  cancel(actionId: string): SubmitOutcome {
    const existing = this.#entries.get(actionId);
    if (!existing) return { outcome: 'unchanged' };
    if (this.#published.has(existing.announcement.exDate)) {
      return {
        outcome: 'rejected',
        rejection: {
          reason: 'ex_date_past',
          detail: `${actionId}: cannot cancel, the adjustment of ${existing.announcement.exDate} is already published`,
          actionId,
          value: existing.announcement.exDate,
        },
      };
    }
    this.#entries.delete(actionId);
    return { outcome: 'cancelled' };
  }

  /** Dates with actions whose adjustment is not published yet, up to and including `upTo`. */
  datesDue(upTo: string): string[] {
    const dates = new Set<string>();
    for (const { announcement } of this.#entries.values()) {
      if (announcement.exDate <= upTo && !this.#published.has(announcement.exDate))
        dates.add(announcement.exDate);
    }
    return [...dates].sort();
  }

  /** Every date that has actions, published or not. */
  dates(): string[] {
    return [...new Set([...this.#entries.values()].map((e) => e.announcement.exDate))].sort();
  }

  announcementsOn(date: string): Announcement[] {
    return [...this.#entries.values()]
      .filter((e) => e.announcement.exDate === date)
      .sort((a, b) => a.order - b.order)
      .map((e) => e.announcement);
  }

  /** The engine event that applies `date`'s actions, in register order; null when there are none. */
  adjustmentFor(date: string): IndexAdjustmentEvent | null {
    const actions: CorporateAction[] = this.announcementsOn(date).map((a) => a.action);
    if (actions.length === 0) return null;
    return { kind: 'index-adjustment', eventTime: adjustmentEventTime(date), effectiveDate: date, actions };
  }

  isPublished(date: string): boolean {
    return this.#published.has(date);
  }

  markPublished(date: string): void {
    this.#published.add(date);
  }

  snapshot(): RegisterSnapshot {
    return {
      nextOrder: this.#nextOrder,
      entries: [...this.#entries.values()]
        .sort((a, b) => a.order - b.order)
        .map((e) => ({ ...e.announcement, order: e.order })),
      published: [...this.#published].sort(),
    };
  }

  static restore(definitions: readonly IndexDefinition[], snapshot: RegisterSnapshot): ActionRegister {
    const register = new ActionRegister(definitions);
    register.#nextOrder = snapshot.nextOrder;
    for (const { order, ...announcement } of snapshot.entries) {
      register.#entries.set(announcement.actionId, { announcement, order });
      if (announcement.action.type === 'add') register.#symbols.add(announcement.action.symbol);
    }
    for (const date of snapshot.published) register.#published.add(date);
    return register;
  }
}
