import { readFileSync } from 'node:fs';
import { MARKETS, TRADING_PHASES } from '@indexflow/market-calendar';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(
  readFileSync(new URL('../../../schemas/market-tick.avsc', import.meta.url), 'utf8'),
);
const enumSymbols = (field: string): string[] =>
  schema.fields.find((f: { name: string }) => f.name === field).type.symbols;

describe('MarketTick enums', () => {
  it('are the market calendar’s markets and trading phases, in the schema’s order', () => {
    expect(enumSymbols('market')).toEqual(MARKETS);
    expect(enumSymbols('tradingPhase')).toEqual(TRADING_PHASES);
  });
});
