export const CORPORATE_ACTION_TYPES = [
  'split',
  'bonus',
  'rights',
  'cash_dividend',
  'special_dividend',
  'shares_change',
  'add',
  'delete',
] as const;

export type CorporateActionType = (typeof CORPORATE_ACTION_TYPES)[number];

/** Actions that change a symbol's price basis; they apply to every index holding the symbol. */
export const PRICE_ACTION_TYPES: ReadonlySet<CorporateActionType> = new Set([
  'split',
  'bonus',
  'rights',
  'cash_dividend',
  'special_dividend',
]);

/**
 * One announced action, as in the replay `actions.csv`. Decimal fields are strings.
 * - split: `ratio` r (shares × r); bonus (送股/转增): `ratio` b (shares × (1+b));
 * - rights (配股): `ratio` k new shares per share at `price` S;
 * - cash_dividend / special_dividend: `amount` per share in the symbol's currency;
 * - shares_change: new index `shares`; add: `indexId`, `shares`, optional reference `price`; delete.
 */
export interface CorporateAction {
  readonly type: CorporateActionType;
  readonly symbol: string;
  /** Blank means every index holding the symbol. */
  readonly indexId?: string;
  readonly ratio?: string;
  readonly price?: string;
  readonly amount?: string;
  readonly shares?: string;
  /** Trading currency of an added symbol when its suffix does not say. */
  readonly currency?: string;
}

export function isCorporateActionType(value: string): value is CorporateActionType {
  return (CORPORATE_ACTION_TYPES as readonly string[]).includes(value);
}
