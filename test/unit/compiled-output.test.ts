// `pnpm build`'s output, as production and the images run it: plain node, no TypeScript loader.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const dir = mkdtempSync(join(tmpdir(), 'indexflow-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // A cold build includes tsc's declaration emit (its cache under node_modules/.cache may be empty).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'pipe' });
}, 120_000);

function node(args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

/**
 * A project outside the workspace that has installed the compiled packages: its node_modules links
 * them (and @types/node, which their declarations name) and nothing else of the repository.
 */
function consumerProject(files: Record<string, string>): string {
  const project = join(dir, 'consumer');
  mkdirSync(join(project, 'node_modules/@indexflow'), { recursive: true });
  for (const name of ['index-engine', 'pipeline', 'kafka'])
    symlinkSync(join(ROOT, 'packages', name), join(project, 'node_modules/@indexflow', name), 'dir');
  symlinkSync(join(ROOT, 'node_modules/@types'), join(project, 'node_modules/@types'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    // Some dependencies' own declarations (lru-cache under the registry client) do not check
    // under this TypeScript; what ours resolve to is asserted below through the file list.
    skipLibCheck: true,
  };
  const tsconfig = { compilerOptions, files: Object.keys(files) };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
  return project;
}

const CONSUMER = `import {
  createIndexEngine, type IndexDefinition, type IndexEngine, type IndexEvent, type TickEvent,
} from '@indexflow/index-engine/compiled';
import { tickRecordToEvent } from '@indexflow/kafka/compiled';
import type { Recovery, SourcedEvent } from '@indexflow/pipeline/compiled';

export const engineOf = (definitions: readonly IndexDefinition[]): IndexEngine => createIndexEngine(definitions);
export const toTick: (record: Parameters<typeof tickRecordToEvent>[0]) => TickEvent = tickRecordToEvent;
export const engineOfRecovery = (recovery: Recovery): IndexEngine => recovery.engine;
export const eventOf = (sourced: SourcedEvent): IndexEvent => sourced.event;
`;

// Line 5 holds only if pipeline's declarations reach index-engine's: otherwise `engine` is any.
const MISUSE = `import { createIndexEngine } from '@indexflow/index-engine/compiled';
import type { Recovery } from '@indexflow/pipeline/compiled';
export const engine = createIndexEngine('CSI300');
export const version: string = ({} as Recovery).version;
export const indexIds: number = ({} as Recovery).engine.indexIds;
`;

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

  it('every package exports its compiled entry with the declarations the build wrote for it', () => {
    const packages = readdirSync(join(ROOT, 'packages')).filter((name) =>
      existsSync(join(ROOT, 'packages', name, 'src/index.ts')),
    );
    expect(packages.length).toBeGreaterThan(10);
    for (const name of packages) {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'));
      expect(manifest.exports['./compiled'], name).toEqual({
        types: './dist/index.d.ts',
        default: './dist/index.js',
      });
      expect(existsSync(join(ROOT, 'packages', name, 'dist/index.d.ts')), name).toBe(true);
    }
  });

  it('a TypeScript project type-checks against the compiled packages’ declarations, and its misuse fails', () => {
    const project = consumerProject({ 'consumer.ts': CONSUMER, 'misuse.ts': MISUSE });
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const run = node([tsc, '-p', join(project, 'tsconfig.json'), '--listFiles', '--pretty', 'false']);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    const errors = lines.flatMap((line) => {
      const error = /([^/\s]+\.ts)\((\d+),\d+\): error (TS\d+):/.exec(line);
      return error ? [`${error[1]}:${error[2]} ${error[3]}`] : [];
    });
    expect(errors, run.stdout).toEqual(['misuse.ts:3 TS2345', 'misuse.ts:4 TS2322', 'misuse.ts:5 TS2322']);
    expect(run.status).not.toBe(0);
    // Every workspace file in the program is a compiled declaration: none of the sources.
    const workspaceFiles = lines.filter(
      (line) => line.startsWith(realpathSync(ROOT)) && !line.includes('/node_modules/'),
    );
    expect(workspaceFiles.filter((file) => !/\/packages\/[^/]+\/dist\/.+\.d\.ts$/.test(file))).toEqual([]);
    for (const name of ['index-engine', 'pipeline', 'kafka', 'market-calendar'])
      expect(workspaceFiles).toContain(join(realpathSync(ROOT), 'packages', name, 'dist/index.d.ts'));
  }, 60_000);

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
