import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLevelRow, LEVELS_CSV_HEADER, replayDataset } from '@indexflow/dataset-files';
import { Dec, formatFixed } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('pnpm start (embedded pipeline)', () => {
  it('runs an accelerated simulated day whose levels equal the offline replay of the same day, byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-embedded-test-'));
    const out = join(dir, 'levels.csv');
    const dataset = join(dir, 'dataset');
    const stdout = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        '--speed',
        '200000',
        '--seed',
        '9',
        '--snapshot-interval-ms',
        '60000',
        '--out',
        out,
        '--dataset-dir',
        dataset,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
        // The in-memory run: without the service endpoints (which `pnpm test:all` exports).
        env: { ...process.env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', REDIS_URL: '' },
      },
    );
    const offline = [LEVELS_CSV_HEADER];
    const summary = replayDataset(dataset, {
      onLevel: (level) => offline.push(formatLevelRow(level)),
      engine: { rejectUnknownSymbols: true },
    });
    expect(summary.rejected).toBe(0);
    expect(offline.length).toBeGreaterThan(1000);
    expect(readFileSync(out, 'utf8')).toBe(`${offline.join('\n')}\n`);
    // The close summary shows each seed index's last level of the day.
    for (const index of ['995365.SSI', '995366.SSI', '995367.SSI']) {
      const last = offline
        .filter((row) => row.split(',')[1] === index)
        .at(-1)!
        .split(',')[2]!;
      const close = formatFixed(new Dec(last), 4);
      expect(stdout).toMatch(
        new RegExp(`2025-03-20\\s+${index.replace('.', '\\.')}\\s+${close.replace('.', '\\.')}`),
      );
    }
  }, 150_000);
});
