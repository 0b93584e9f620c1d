import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerStatsCommand } from './stats-command.js';

const FIXTURE = fileURLToPath(
  new URL('../../../../packages/index-analytics/test/fixtures/seed-yearly-closes.csv', import.meta.url),
);

async function run(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; exitCode: number | string | undefined }> {
  let stdout = '';
  let stderr = '';
  const program = new Command().exitOverride();
  registerStatsCommand(program, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  await program.parseAsync(['stats', ...args], { from: 'user' });
  return { stdout, stderr, exitCode: process.exitCode };
}

describe('indexflow stats', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the yearly table of the seed fixture with the conventions', async () => {
    const { stdout, exitCode } = await run('--closes', FIXTURE, '--index', 'AI大模型', '--index', 'AI云计算');
    expect(exitCode).toBeUndefined();
    expect(stdout).toMatch(/累计 Cumulative\s+106\.94%\s+90\.20%/);
    expect(stdout).toContain('Conventions: ');
    expect(stdout).not.toContain('互联网与软件');
  });

  it('writes JSON with the risk-free rate given as a percentage, and a chart', async () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'levels.svg');
    const { stdout } = await run(
      '--closes',
      FIXTURE,
      '--index',
      '互联网与软件',
      '--format',
      'json',
      '--risk-free',
      '1.5%',
      '--chart',
      chart,
    );
    const document = JSON.parse(stdout);
    expect(document.conventions.riskFreeRate).toBe('0.015');
    expect(document.indices).toHaveLength(1);
    expect(readFileSync(chart, 'utf8')).toContain('data-index="互联网与软件"');
  });

  it('explains that --index alone needs the history store, which does not exist yet', async () => {
    const { stderr, exitCode } = await run('--index', 'CSI300');
    expect(stderr).toContain('history store does not exist yet');
    expect(exitCode).toBe(2);
  });

  it('reports a bad closes file with its line and value', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'bad.csv');
    writeFileSync(file, 'date,close\n2024-01-02,100\n2024-01-03,abc\n');
    const { stderr, exitCode } = await run('--closes', file);
    expect(stderr).toBe(`error: ${file}:3: close was "abc", expected a decimal number such as 1234.5678\n`);
    expect(exitCode).toBe(2);
  });

  it('refuses an unknown format and a malformed risk-free rate', async () => {
    expect((await run('--closes', FIXTURE, '--format', 'xml')).stderr).toContain('--format was "xml"');
    expect((await run('--closes', FIXTURE, '--risk-free', 'abc')).stderr).toContain('--risk-free was "abc"');
  });
});
