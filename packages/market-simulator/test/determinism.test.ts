import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// Whole simulated days per test: generous, as other suites share the CPU.
vi.setConfig({ testTimeout: 120_000 });

import { formatFxLine, formatTickLine, simulateMarket, writeDataset } from '../src/index.js';
import { BASE_OPTIONS, simulate } from './fixtures.js';

const INDEX = {
  id: 'TEST',
  currency: 'CNY',
  initialLevel: '1000',
  constituents: [{ symbol: '600050.SH', shares: '100' }],
};

function writeTo(seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'market-simulator-'));
  writeDataset(dir, { indices: [INDEX], rows: simulateMarket({ ...BASE_OPTIONS, seed }) });
  return dir;
}

function contentsOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['ticks.csv', 'fx.csv', 'indices/TEST.json'])
    files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

const lines = (seed: number) =>
  simulate({ seed })
    .map((r) => (r.kind === 'tick' ? formatTickLine(r) : formatFxLine(r)))
    .join('');

describe('determinism', () => {
  it('writes byte-identical datasets for the same seed', () => {
    const a = writeTo(7);
    const b = writeTo(7);
    expect(readdirSync(a).sort()).toEqual(['fx.csv', 'indices', 'ticks.csv']);
    expect(contentsOf(a)).toEqual(contentsOf(b));
  });

  it('gives different rows for a different seed', () => {
    expect(lines(7)).not.toBe(lines(8));
  });

  it('keeps a symbol path independent of the other symbols', () => {
    const alone = simulate({ symbols: [BASE_OPTIONS.symbols[0]!] }).filter((r) => r.kind === 'tick');
    const together = simulate().filter(
      (r) => r.kind === 'tick' && r.symbol === BASE_OPTIONS.symbols[0]!.symbol,
    );
    expect(together).toEqual(alone);
  });

  it('pins one fingerprint of the output, so an engine-dependent change is noticed', () => {
    const text = lines(42);
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    // Recorded once; a change here means the same seed no longer gives the same bytes.
    expect({ length: text.length, hash }).toEqual({ length: 8_120_638, hash: 2_259_705_255 });
  });
});
