import { readActions, replayDataset } from '@indexflow/dataset-files';
import { Dec, type IndexLevel } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { engineBeforeDate } from '../src/engine-before-date.js';
import { computeProforma, proformaChanges } from '../src/proforma.js';

const DATE = '2025-03-21';

describe('computeProforma on the bundled sample (bonus 0.4 on 300017.SZ, dividend on 600050.SH)', async () => {
  const { definitions, engine, closes } = await engineBeforeDate(SAMPLE_DIR, DATE);
  const adjustment = readActions(SAMPLE_DIR, () => {}).find((a) => a.effectiveDate === DATE)!;
  const proformas = computeProforma(definitions, engine, adjustment, engine.indexIds, closes);

  it('starts from each index’s official close of the day before, which the replay reports', async () => {
    const official = new Map<string, string>();
    await replayDataset(SAMPLE_DIR, {
      onLevel: () => {},
      onClose: (close) => {
        if (close.tradingDate === '2025-03-20') official.set(close.indexId, close.level);
      },
    });
    for (const p of proformas) {
      expect(p.previousClose?.date).toBe('2025-03-20');
      expect(new Dec(p.previousClose!.level).eq(official.get(p.indexId)!)).toBe(true);
    }
    // 995366.SSI holds HK names: FX moved after its 16:10 close, so the 00:00 level is not the close.
    const hk = proformas.find((p) => p.indexId === '995366.SSI')!;
    expect(new Dec(hk.levelBefore!).eq(hk.previousClose!.level)).toBe(false);
  });

  it('gives the divisor the replay then uses, for every index', async () => {
    const adjustmentLevels = new Map<string, IndexLevel>();
    await replayDataset(SAMPLE_DIR, {
      onLevel: (level) => {
        if (level.trigger === 'index-adjustment') adjustmentLevels.set(level.indexId, level);
      },
    });
    expect(proformas.length).toBe(definitions.length);
    for (const p of proformas) {
      const replayed = adjustmentLevels.get(p.indexId);
      if (replayed === undefined) {
        expect(proformaChanges(p)).toBe(false);
        continue;
      }
      expect(p.divisorAfter).toBe(replayed.divisor.toFixed());
    }
  });

  it('multiplies the bonus constituent shares by 1.4 and leaves its weight and the level unchanged', () => {
    const holding = proformas.filter((p) => p.constituents.some((c) => c.symbol === '300017.SZ'));
    expect(holding.length).toBeGreaterThan(0);
    for (const p of holding) {
      const c = p.constituents.find((x) => x.symbol === '300017.SZ')!;
      expect(new Dec(c.sharesAfter!).eq(new Dec(c.sharesBefore!).times('1.4'))).toBe(true);
      // The exchange reference price Pc / 1.4, kept to 20 dp when it repeats.
      expect(c.priceAfter).toBe(
        new Dec(c.priceBefore!).div('1.4').toDecimalPlaces(20, Dec.ROUND_HALF_EVEN).toFixed(),
      );
      if (!p.constituents.some((x) => x.symbol === '600050.SH')) {
        expect(p.levelAfter).toBe(p.levelBefore);
        expect(p.divisorAfter).toBe(p.divisorBefore);
      }
    }
  });

  it('gives the weights after the date that the replay’s adjustment level publishes, digit for digit', async () => {
    const published = new Map<string, string>();
    await replayDataset(SAMPLE_DIR, {
      engine: { contributions: 'moved' },
      onLevel: (level) => {
        if (level.trigger !== 'index-adjustment') return;
        for (const c of level.contributions ?? []) published.set(`${level.indexId} ${c.symbol}`, c.weight);
      },
    });
    const after = proformas.flatMap((p) =>
      p.constituents.map((c) => ({ key: `${p.indexId} ${c.symbol}`, weight: c.weightAfter })),
    );
    const compared = after.filter(({ key }) => published.has(key));
    expect(compared.length).toBeGreaterThan(10);
    for (const { key, weight } of compared) expect(weight, key).toBe(published.get(key));
    // And each is MV / ΣMV to 24 places, half-even (decimal.js as an independent oracle).
    for (const p of proformas) {
      const priced = p.constituents.filter((c) => c.priceAfter !== null && c.weightAfter !== null);
      if (priced.length === 0) continue;
      const fx = (c: (typeof priced)[number]) => (c.currency === 'HKD' ? null : '1');
      if (priced.some((c) => fx(c) === null)) continue;
      const values = priced.map((c) => new Dec(c.priceAfter!).times(c.sharesAfter!));
      const total = Dec.sum(...values);
      for (const [i, c] of priced.entries()) expect(c.weightAfter).toBe(values[i]!.div(total).toFixed(24));
    }
  });

  it('does not touch the engine it was given', () => {
    const before = JSON.stringify(engine.snapshot());
    computeProforma(definitions, engine, adjustment);
    expect(JSON.stringify(engine.snapshot())).toBe(before);
  });
});
