import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it, vi } from 'vitest';

// Whole simulated days per test: generous, as other suites share the CPU.
vi.setConfig({ testTimeout: 120_000 });

import { type IndexFileContent, simulateMarket, writeDataset } from '../src/index.js';

describe('replay of a simulated day of the seed indices', () => {
  it('has zero rejections and levels for all three indices', async () => {
    const indicesDir = join(SAMPLE_DIR, 'indices');
    const indices = readdirSync(indicesDir)
      .sort()
      .map(
        (n) =>
          JSON.parse(readFileSync(join(indicesDir, n), 'utf8')) as IndexFileContent & {
            constituents: { symbol: string; referencePrice: string }[];
          },
      );
    const prices = new Map(
      indices.flatMap((i) => i.constituents.map((c) => [c.symbol, c.referencePrice] as const)),
    );
    const dir = mkdtempSync(join(tmpdir(), 'market-simulator-replay-'));
    const written = writeDataset(dir, {
      indices,
      rows: simulateMarket({
        seed: 1,
        startDate: '2025-03-20',
        days: 1,
        symbols: [...prices].map(([symbol, referencePrice]) => ({ symbol, referencePrice })),
        fx: { pair: 'HKDCNY', start: '0.9230' },
        snapshotIntervalMs: 15_000,
      }),
    });
    expect(written.symbols).toBe(prices.size);
    const levelsByIndex = new Map<string, number>();
    const issues: string[] = [];
    const summary = await replayDataset(dir, {
      onLevel: (level) => levelsByIndex.set(level.indexId, (levelsByIndex.get(level.indexId) ?? 0) + 1),
      onIssue: (issue) => issues.push(`${issue.file}:${issue.line}: ${issue.reason}: ${issue.detail}`),
    });
    expect(issues.slice(0, 5)).toEqual([]);
    expect(summary.rejected).toBe(0);
    expect(summary.ticks).toBe(written.ticks);
    expect(summary.fxRates).toBe(written.fxRates);
    expect([...levelsByIndex.keys()].sort()).toEqual(['995365.SSI', '995366.SSI', '995367.SSI']);
    for (const n of levelsByIndex.values()) expect(n).toBeGreaterThan(1000);
  });
});
