import { Dec, sharesFromWeights } from '@indexflow/index-engine';
import {
  REPORT_AS_OF,
  REPORT_INDEX_NAMES,
  REPORT_SOURCE,
  REPORT_TOP10,
  type SeedIndexId,
} from './report-top10.js';
import type {
  CapTier,
  ConstituentField,
  SeedConstituent,
  SeedIndexDefinition,
} from './seed-index-definitions.js';
import {
  ILLUSTRATIVE_INITIAL_LEVEL,
  ILLUSTRATIVE_MEMBER_NAMES,
  ILLUSTRATIVE_MEMBERS,
  ILLUSTRATIVE_REFERENCE_FX,
  ILLUSTRATIVE_REFERENCE_PRICES,
  NOTIONAL_MARKET_VALUE,
} from './seed-index-specs.js';
import { tradingCurrency } from './trading-currency.js';

/** Decimal places kept in index shares when w × M / (P × FX) does not terminate. */
export const SHARES_DECIMAL_PLACES = 4;

const TOP10_ILLUSTRATIVE: readonly ConstituentField[] = ['shares', 'capTier', 'referencePrice'];
const MEMBER_ILLUSTRATIVE: readonly ConstituentField[] = [
  'symbol',
  'name',
  'currency',
  'shares',
  'capTier',
  'targetWeight',
  'referencePrice',
];

/** q = w × M / (P × FX) by the engine's `sharesFromWeights`, rounded half-even to 4 dp. */
export function indexShares(weight: string, price: string, fx: string, notional: string): string {
  const target = { id: 'q', weight: new Dec(weight), price: new Dec(price), fxRate: new Dec(fx) };
  const { shares } = sharesFromWeights([target], new Dec(notional), new Dec(1), {
    sharesDecimals: SHARES_DECIMAL_PLACES,
  });
  return shares[0]!.indexShares.toFixed();
}

function reportWeightToFraction(printed: string): string {
  return new Dec(printed.replace('%', '')).div(100).toFixed(4);
}

/** A weight printed as exactly 10.00 %, 7.50 % or 5.00 % is read as sitting at that cap. */
function tierForReportWeight(printed: string): CapTier {
  if (printed === '10.00%') return '10%';
  if (printed === '7.50%') return '7.5%';
  if (printed === '5.00%') return '5%';
  return '10%';
}

function priceOf(symbol: string): string {
  const price = ILLUSTRATIVE_REFERENCE_PRICES[symbol];
  if (price === undefined) throw new Error(`no reference price for ${symbol}`);
  return price;
}

/** Builds one seed index definition from the report's top-10 table and the illustrative specs. */
export function buildSeedIndexDefinition(id: SeedIndexId): SeedIndexDefinition {
  const fx = ILLUSTRATIVE_REFERENCE_FX;
  const notional = NOTIONAL_MARKET_VALUE;
  const make = (
    symbol: string,
    name: string,
    targetWeight: string,
    capTier: CapTier,
    illustrative: readonly ConstituentField[],
  ): SeedConstituent => {
    const currency = tradingCurrency(symbol);
    const referencePrice = priceOf(symbol);
    const shares = indexShares(targetWeight, referencePrice, currency === 'HKD' ? fx : '1', notional);
    return { symbol, name, currency, shares, capTier, targetWeight, referencePrice, illustrative };
  };
  const top10 = REPORT_TOP10[id].map((row) =>
    make(
      row.symbol,
      row.name,
      reportWeightToFraction(row.weight),
      tierForReportWeight(row.weight),
      TOP10_ILLUSTRATIVE,
    ),
  );
  const members = ILLUSTRATIVE_MEMBERS[id].map(([symbol, weight]) => {
    const name = ILLUSTRATIVE_MEMBER_NAMES[symbol];
    if (name === undefined) throw new Error(`no name for ${symbol}`);
    return make(symbol, name, weight, '5%', MEMBER_ILLUSTRATIVE);
  });
  return {
    id,
    name: REPORT_INDEX_NAMES[id],
    currency: 'CNY',
    initialLevel: ILLUSTRATIVE_INITIAL_LEVEL,
    referenceDate: REPORT_AS_OF,
    referenceFx: fx,
    notionalMarketValue: notional,
    source: REPORT_SOURCE,
    constituents: [...top10, ...members],
    illustrative: {
      fields: ['currency', 'initialLevel', 'referenceFx', 'notionalMarketValue'],
      constituents:
        'Only the top-10 (symbol, name, final weight) come from the report. Members ranked 11+ and their weights are an illustrative theme basket chosen to make the weights sum to 100 %, each below the 10th report weight.',
      referencePrices:
        'Approximate 2025-03-19 closes (market.md §7 ranges where available, otherwise rough March 2025 levels); A-shares on the 0.01 tick, HK in HKD on the pre-Aug-2025 spread table.',
      capTiers:
        'A report weight of exactly 10.00 %/7.50 %/5.00 % is read as that cap; other top-10 names are given 10 % and members ranked 11+ 5 %, illustratively.',
      shares:
        'q = targetWeight × notionalMarketValue / (referencePrice × FX), FX = referenceFx for .HK and 1 otherwise, rounded half-even to 4 dp; initialLevel 1000 means the divisor is fixed when every constituent first has a price, so shares alone define the weights.',
    },
  };
}

/** Serialises a definition exactly as stored in data/*.json. */
export function serializeSeedIndexDefinition(definition: SeedIndexDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
