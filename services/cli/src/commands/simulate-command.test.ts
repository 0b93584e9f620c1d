import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerSimulateCommand } from './simulate-command.js';

vi.setConfig({ testTimeout: 120_000 });

async function run(args: string[]): Promise<string> {
  const program = new Command().name('indexflow').exitOverride();
  registerSimulateCommand(program);
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'indexflow', 'simulate', ...args]);
  } finally {
    spy.mockRestore();
  }
  return stderr;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('indexflow simulate', () => {
  it('writes a replayable dataset of the seed indices by default and prints a summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'indexflow-simulate-'));
    const stderr = await run(['--out', out, '--seed', '3', '--snapshot-interval-ms', '30000']);
    expect(stderr).toMatch(
      /^simulate: 3 indices, 37 symbols, 1 days from 2025-03-20 → \d+ ticks, 451 fx rates/,
    );
    expect(readdirSync(join(out, 'indices')).sort()).toEqual(readdirSync(join(SAMPLE_DIR, 'indices')).sort());
    expect(readFileSync(join(out, 'ticks.csv'), 'utf8').split('\n', 1)[0]).toBe(
      'ts,symbol,price,volume,turnover,phase',
    );
    const summary = await replayDataset(out, { onLevel: () => {} });
    expect(summary.rejected).toBe(0);
    expect(summary.levels).toBeGreaterThan(0);
  });

  it('writes the same bytes for the same seed', async () => {
    const a = mkdtempSync(join(tmpdir(), 'indexflow-simulate-'));
    const b = mkdtempSync(join(tmpdir(), 'indexflow-simulate-'));
    await run(['--out', a, '--seed', '9', '--snapshot-interval-ms', '60000', '--start-date', '2025-03-24']);
    await run(['--out', b, '--seed', '9', '--snapshot-interval-ms', '60000', '--start-date', '2025-03-24']);
    expect(readFileSync(join(a, 'ticks.csv'), 'utf8')).toBe(readFileSync(join(b, 'ticks.csv'), 'utf8'));
    expect(readFileSync(join(a, 'ticks.csv'), 'utf8')).toContain('2025-03-24T09:25:00.000+08:00');
  });

  it('reports bad flags with exit code 2', async () => {
    const out = mkdtempSync(join(tmpdir(), 'indexflow-simulate-'));
    const stderr = await run(['--out', out, '--snapshot-interval-ms', '1000']);
    expect(stderr).toContain('error: snapshotIntervalMs was 1000');
    expect(process.exitCode).toBe(2);
  });
});
