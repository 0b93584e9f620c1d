// How the `indexflow` entry point reads its own arguments, as pnpm hands them over.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'services/cli/src/main.ts');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'services/cli/package.json'), 'utf8')) as { version: string }
).version;

function indexflow(...args: string[]) {
  return spawnSync(TSX, [MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('indexflow arguments', () => {
  it('prints its version, also after the `--` that `pnpm indexflow -- …` passes on', () => {
    for (const args of [['--version'], ['--', '--version']]) {
      const run = indexflow(...args);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(VERSION);
    }
  });

  it('still treats a `--` after a command as that command’s own separator', () => {
    const run = indexflow('replay', '--', '--out');
    // `--out` is now the dataset directory, which does not exist: a user error, not a parse error.
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--out/indices: cannot read the indices directory');
  });
});
