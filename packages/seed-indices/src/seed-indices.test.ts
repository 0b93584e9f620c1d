import { readFileSync } from 'node:fs';
import { Dec } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { buildSeedIndexDefinition, serializeSeedIndexDefinition } from './build-seed-index-definition.js';
import { REPORT_INDEX_NAMES, REPORT_TOP10, SEED_INDEX_IDS } from './report-top10.js';
import { hkTickMilli, parseMilli } from './sample-prices.js';
import {
  type ConstituentField,
  loadSeedIndexDefinition,
  type SeedIndexDefinition,
  seedIndexFile,
} from './seed-index-definitions.js';

const CAP: Record<string, string> = { '10%': '0.10', '7.5%': '0.075', '5%': '0.05' };

/** w_i = q_i·P_i·FX_i / Σ_j q_j·P_j·FX_j at the reference prices and referenceFx. */
function referenceWeights(definition: SeedIndexDefinition): Map<string, InstanceType<typeof Dec>> {
  const values = definition.constituents.map((c) => {
    const fx = c.currency === 'HKD' ? definition.referenceFx : '1';
    return [c.symbol, new Dec(c.shares).times(c.referencePrice).times(fx)] as const;
  });
  const total = values.reduce((sum, [, v]) => sum.plus(v), new Dec(0));
  return new Map(values.map(([symbol, v]) => [symbol, v.div(total)]));
}

const percentToFraction = (printed: string) => new Dec(printed.replace('%', '')).div(100);

describe.each(SEED_INDEX_IDS)('seed index %s', (id) => {
  const definition = loadSeedIndexDefinition(id);
  const weights = referenceWeights(definition);
  const report = REPORT_TOP10[id];

  it('is stored exactly as the builder produces it', () => {
    expect(readFileSync(seedIndexFile(id), 'utf8')).toBe(
      serializeSeedIndexDefinition(buildSeedIndexDefinition(id)),
    );
  });

  it('has the report name and reference date, 20–30 distinct constituents and target weights summing to 1', () => {
    expect(definition.id).toBe(id);
    expect(definition.name).toBe(REPORT_INDEX_NAMES[id]);
    expect(definition.referenceDate).toBe('2025-03-19');
    expect(definition.initialLevel).toBe('1000');
    expect(definition.referenceFx).toBe('0.9230');
    const symbols = definition.constituents.map((c) => c.symbol);
    expect(new Set(symbols).size).toBe(symbols.length);
    expect(symbols.length).toBeGreaterThanOrEqual(20);
    expect(symbols.length).toBeLessThanOrEqual(30);
    const targetSum = definition.constituents.reduce((s, c) => s.plus(c.targetWeight), new Dec(0));
    expect(targetSum.eq(1)).toBe(true);
  });

  it('reproduces every target weight from the index shares to 1e-9, summing to 1', () => {
    const sum = [...weights.values()].reduce((s, w) => s.plus(w), new Dec(0));
    expect(sum.minus(1).abs().lt('1e-9')).toBe(true);
    for (const c of definition.constituents) {
      expect(weights.get(c.symbol)!.minus(c.targetWeight).abs().lt('1e-9'), c.symbol).toBe(true);
    }
  });

  it("has the report's top-10 as its ten largest weights, each within 0.01 %", () => {
    const sorted = [...weights.entries()].sort(([, a], [, b]) => b.comparedTo(a));
    const top10 = sorted.slice(0, 10).map(([symbol]) => symbol);
    expect(new Set(top10)).toEqual(new Set(report.map((r) => r.symbol)));
    // The 10th and 11th weights differ, so the top-10 set is unambiguous.
    expect(sorted[9]![1].gt(sorted[10]![1])).toBe(true);
    for (const row of report) {
      const w = weights.get(row.symbol)!;
      expect(w.minus(percentToFraction(row.weight)).abs().lte('0.0001'), row.symbol).toBe(true);
      expect(definition.constituents.find((c) => c.symbol === row.symbol)!.name).toBe(row.name);
    }
  });

  it('keeps every weight at or below its cap tier', () => {
    for (const c of definition.constituents) {
      expect(weights.get(c.symbol)!.lte(new Dec(CAP[c.capTier]!).plus('1e-9')), c.symbol).toBe(true);
    }
  });

  it('gives every constituent the currency of its exchange suffix and a price on its tick grid', () => {
    for (const c of definition.constituents) {
      expect(c.currency, c.symbol).toBe(/\.(SH|SZ)$/.test(c.symbol) ? 'CNY' : 'HKD');
      expect(/\.(SH|SZ|HK)$/.test(c.symbol), c.symbol).toBe(true);
      const milli = parseMilli(c.referencePrice);
      const tick = c.currency === 'CNY' ? 10 : hkTickMilli(milli);
      expect(milli % tick, c.symbol).toBe(0);
    }
  });

  it('lists every field that does not come from the report as illustrative', () => {
    const reportSymbols = new Set(report.map((r) => r.symbol));
    // From the report: symbol, name and final weight of the top-10. The currency follows from the suffix.
    const fromReport: readonly string[] = ['symbol', 'name', 'targetWeight'];
    const derived: readonly string[] = ['currency', 'illustrative'];
    for (const c of definition.constituents) {
      const listed = new Set<string>(c.illustrative);
      for (const field of Object.keys(c)) {
        if (derived.includes(field)) continue;
        if (reportSymbols.has(c.symbol) && fromReport.includes(field)) continue;
        expect(listed.has(field as ConstituentField), `${c.symbol}.${field}`).toBe(true);
      }
      if (reportSymbols.has(c.symbol)) {
        for (const field of fromReport) expect(listed.has(field as ConstituentField)).toBe(false);
      }
    }
    const indexFromReport = ['id', 'name', 'referenceDate', 'source', 'constituents', 'illustrative'];
    const listed = new Set<string>(definition.illustrative.fields);
    for (const field of Object.keys(definition)) {
      if (!indexFromReport.includes(field)) expect(listed.has(field), field).toBe(true);
    }
  });
});

describe('seed indices together', () => {
  it('use one reference price per symbol across indices', () => {
    const prices = new Map<string, string>();
    for (const id of SEED_INDEX_IDS) {
      for (const c of loadSeedIndexDefinition(id).constituents) {
        expect(prices.get(c.symbol) ?? c.referencePrice, c.symbol).toBe(c.referencePrice);
        prices.set(c.symbol, c.referencePrice);
      }
    }
  });
});
