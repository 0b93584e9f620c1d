import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@indexflow/testkit';
import { describe, expect, inject, it } from 'vitest';
import { offlineRows } from './support/calculator-environment.js';
import { EMBEDDED } from './support/entry-points.js';

describe('pnpm start with KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL set', () => {
  it('runs the simulated day through the real calculator and Kafka, and reads back the offline levels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-embedded-real-'));
    const out = join(dir, 'levels.csv');
    const dataset = join(dir, 'dataset');
    const run = spawnSync(
      process.execPath,
      [
        EMBEDDED,
        '--speed',
        'max',
        '--seed',
        '4',
        '--snapshot-interval-ms',
        '60000',
        '--quiet',
        '--out',
        out,
        '--dataset-dir',
        dataset,
      ],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: inject('kafkaBrokers'),
          SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
          REDIS_URL: inject('redisUrl'),
          TOPIC_PREFIX: `${uniqueName('embedded')}.`,
        },
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('on real services');
    const expected = await offlineRows(dataset);
    expect(expected.length).toBeGreaterThan(1000);
    const written = readFileSync(out, 'utf8').trim().split('\n');
    expect(written.slice(1)).toEqual(expected);
  }, 300_000);
});
