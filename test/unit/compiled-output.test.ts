// `pnpm build`'s output, as production and the images run it: plain node, no TypeScript loader.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const dir = mkdtempSync(join(tmpdir(), 'indexflow-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'pipe' });
}, 60_000);

function node(args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

describe('compiled output (pnpm build)', () => {
  it('the compiled CLI replays the sample to the same bytes as the TypeScript sources', () => {
    const compiled = join(dir, 'compiled.csv');
    const source = join(dir, 'source.csv');
    const run = node(['services/cli/dist/main.js', 'replay', SAMPLE, '--out', compiled, '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    const reference = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['services/cli/src/main.ts', 'replay', SAMPLE, '--out', source, '--quiet'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(reference.status, reference.stderr).toBe(0);
    const levels = readFileSync(compiled, 'utf8');
    expect(levels.split('\n').length).toBeGreaterThan(10_000);
    expect(levels).toBe(readFileSync(source, 'utf8'));
  }, 120_000);

  it('the indexflow binary runs the compiled CLI', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'services/cli/package.json'), 'utf8')).version;
    // pnpm's shim in node_modules/.bin, as `pnpm exec indexflow` and a PATH entry run it.
    const run = spawnSync(join(ROOT, 'node_modules/.bin/indexflow'), ['--version'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it.each(['index-calculator', 'corporate-actions', 'gateway'])(
    'the compiled %s loads and refuses a missing configuration with the reason',
    (service) => {
      const run = node([`services/${service}/dist/main.js`], { KAFKA_BROKERS: '' });
      expect(run.stderr).toContain(`${service}: invalid configuration`);
      expect(run.stderr).toContain('KAFKA_BROKERS: set KAFKA_BROKERS');
      expect(run.status).toBe(2);
    },
  );

  it('maps a compiled stack trace back to the TypeScript sources', () => {
    const run = node([
      '--enable-source-maps',
      '--input-type=module',
      '-e',
      "const { createIndexEngine } = await import('@indexflow/index-engine/compiled'); try { createIndexEngine([{ id: 'x' }]) } catch (e) { console.log(e.stack) }",
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('IndexDefinitionError');
    expect(run.stdout).toMatch(/packages\/index-engine\/src\/engine\/index-engine\.ts:\d+/);
  });

  it('scripts/install-cli.sh installs a self-contained indexflow that replays the sample like the repository’s CLI', () => {
    // Built above: a second build here would delete dist/ under the other cases' feet.
    const prefix = join(dir, 'prefix');
    execFileSync('bash', [join(ROOT, 'scripts/install-cli.sh'), prefix], {
      stdio: 'pipe',
      env: { ...process.env, INDEXFLOW_INSTALL_BUILD: '0' },
    });
    const bin = join(prefix, 'bin/indexflow');
    // The copy owns everything it runs: nothing resolves back into the repository.
    const installed = realpathSync(join(prefix, 'lib/indexflow'));
    expect(realpathSync(bin).startsWith(installed)).toBe(true);
    const sample = join(installed, 'node_modules/@indexflow/seed-indices/sample');
    expect(realpathSync(sample).startsWith(installed)).toBe(true);
    const run = (command: string, args: string[]) =>
      execFileSync(command, args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    expect(run(bin, ['--version']).trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'services/cli/package.json'), 'utf8')).version,
    );
    run(bin, ['replay', sample, '--out', join(dir, 'installed.csv'), '--quiet']);
    run(process.execPath, [
      join(ROOT, 'services/cli/bin/indexflow.js'),
      'replay',
      join(ROOT, 'packages/seed-indices/sample'),
      '--out',
      join(dir, 'repository.csv'),
      '--quiet',
    ]);
    const installedLevels = readFileSync(join(dir, 'installed.csv'), 'utf8');
    expect(installedLevels.split('\n').length).toBeGreaterThan(10_000);
    expect(installedLevels).toBe(readFileSync(join(dir, 'repository.csv'), 'utf8'));
  }, 180_000);
});
