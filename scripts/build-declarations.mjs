// Type declarations for each package's compiled entry point: `dist/index.d.ts` beside
// `dist/index.js` (and the `.d.ts` files it imports, in the same layout as src/), named by the
// `types` condition of the package's `./compiled` export.
//
// Why tsc and not a declaration bundler: the lockfile already pins typescript, and tsc's own
// declaration emit is the reference the bundlers rebuild; a bundler would be a new dependency to
// produce the same types in fewer files. One `tsc --build` over every package's sources
// (tsconfig.build.json) rather than a project per package: one program parses the shared
// dependencies' types once. It is incremental (a cache under node_modules/.cache), so a build
// whose sources did not change costs about a second.
//
// As the JavaScript build does, an import of another workspace package `@indexflow/x` becomes
// `@indexflow/x/compiled`: a consumer of the compiled output gets that package's declarations,
// never its TypeScript sources.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';

const CACHE = 'node_modules/.cache/indexflow-declarations';
const WORKSPACE_IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])@indexflow\/([^/'"]+)\2/g;

export class DeclarationBuildError extends Error {
  constructor(output) {
    super(`build: tsc could not write the type declarations: ${output.slice(0, 2000)}`);
    this.name = 'DeclarationBuildError';
    this.output = output;
  }
}

function declarationFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return name.endsWith('.d.ts') ? [path] : [];
  });
}

/** tsc --build decides from the sources' timestamps; dependencies' types are not among them. */
function dropCacheOlderThanLockfile(root) {
  const info = join(root, CACHE, 'tsbuildinfo');
  const lockfile = join(root, 'pnpm-lock.yaml');
  if (existsSync(info) && existsSync(lockfile) && statSync(lockfile).mtimeMs > statSync(info).mtimeMs)
    rmSync(join(root, CACHE), { recursive: true, force: true });
}

function runTsc(root) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '--build', join(root, 'tsconfig.build.json')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new DeclarationBuildError(`${run.stdout}${run.stderr}${run.error ?? ''}`);
}

/** Copies a package's declarations from the cache to its dist/, for the sources that still exist. */
function copyDeclarations(root, pkg) {
  const src = join(pkg, 'src');
  const cached = join(root, CACHE, relative(root, src));
  let copied = 0;
  for (const file of declarationFiles(cached)) {
    const path = relative(cached, file);
    // The cache keeps the declarations of a deleted source file; dist/ must not.
    if (!existsSync(join(src, path.replace(/\.d\.ts$/, '.ts')))) continue;
    const target = join(pkg, 'dist', path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      readFileSync(file, 'utf8').replace(WORKSPACE_IMPORT, '$1$2@indexflow/$3/compiled$2'),
    );
    copied += 1;
  }
  return copied;
}

/** Writes each package's declarations into its dist/ (run after the JavaScript, which empties dist/). */
export function buildDeclarations(root, packages) {
  dropCacheOlderThanLockfile(root);
  runTsc(root);
  let copied = 0;
  for (const pkg of packages) {
    copied += copyDeclarations(root, pkg);
    if (!existsSync(join(pkg, 'dist/index.d.ts')))
      throw new DeclarationBuildError(`no dist/index.d.ts for ${basename(pkg)}`);
  }
  return copied;
}
