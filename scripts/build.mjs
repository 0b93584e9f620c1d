#!/usr/bin/env node
// `pnpm build` (`node scripts/build.mjs [workspace-root] [--no-declarations]`): compiles every
// workspace package and service to JavaScript, for production and the images (tsx stays a
// development convenience; `pnpm typecheck` checks the types), and writes each package's type
// declarations beside its compiled entry (scripts/build-declarations.mjs). The images' compile
// stage passes --no-declarations: nothing types its code at run time, and it installs no
// package's own dependencies, whose types the declarations name.
//
// Each package's `src/index.ts` and each service's `src/main.ts` become one ES module in `dist/`
// (`dist/index.js`, `dist/main.js`, with source maps) holding that package's own code. Other
// workspace packages stay separate: an import of `@indexflow/x` is rewritten to
// `@indexflow/x/compiled` (its `dist/index.js`, see each package.json's exports), so one process
// loads each package once; third-party packages stay imports of node_modules. Files a package
// reads beside its code (Redis Lua scripts under src/) are copied to the same place under dist/;
// data found relative to the package (schemas/, sample/, public/) is at the same depth from dist/
// as from src/, so those paths hold.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeclarations } from './build-declarations.mjs';

let build;
try {
  ({ build } = await import('esbuild'));
} catch (error) {
  // `pnpm install --prod` (the images' build stage) runs the root's prepare script without the
  // development tools: nothing to build there, the image's compile stage did it.
  if (process.env.npm_lifecycle_event === 'prepare' && error?.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('build: skipped (esbuild is not installed: a production install)\n');
    process.exit(0);
  }
  throw error;
}

const args = process.argv.slice(2);
const DECLARATIONS = !args.includes('--no-declarations');
// Another checkout of the workspace may be named (the image recipe test builds a copy of it).
const root = args.find((arg) => !arg.startsWith('--'));
const ROOT = resolve(root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const workspacesIn = (group) =>
  readdirSync(join(ROOT, group))
    .map((name) => join(ROOT, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src')));
/** The libraries: each exports its compiled entry `./compiled` with its type declarations. */
const PACKAGES = workspacesIn('packages').filter((dir) => existsSync(join(dir, 'src/index.ts')));
const WORKSPACES = [...workspacesIn('packages'), ...workspacesIn('services')];
const ENTRIES = ['index.ts', 'main.ts'];
/** Files under src/ that code reads at run time (everything that is neither code nor a test). */
const ASSET = /\.(lua|json|avsc|html|css|txt)$/;

const workspaceImports = {
  name: 'workspace-imports',
  setup(builder) {
    // Another workspace package: its compiled entry point, loaded once per process.
    builder.onResolve({ filter: /^@indexflow\/[^/]+$/ }, (args) => ({
      path: `${args.path}/compiled`,
      external: true,
    }));
    // Any other bare specifier is a dependency in node_modules (or a node: built-in).
    builder.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

function assets(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return assets(path);
    return ASSET.test(name) ? [path] : [];
  });
}

async function compile(workspace) {
  const src = join(workspace, 'src');
  const entryPoints = ENTRIES.map((entry) => join(src, entry)).filter((path) => existsSync(path));
  if (entryPoints.length === 0) return 0;
  const dist = join(workspace, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: dist,
    bundle: true,
    // A dynamic import() becomes its own chunk, loaded when reached: `indexflow --help` does not
    // load the modules of every command.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // Class and function names stay as written: errors and logs name them.
    keepNames: true,
    logLevel: 'warning',
    plugins: [workspaceImports],
  });
  for (const asset of assets(src)) cpSync(asset, join(dist, relative(src, asset)));
  return entryPoints.length;
}

const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);
const started = performance.now();
let compiled = 0;
for (const workspace of WORKSPACES) compiled += await compile(workspace);
process.stderr.write(
  `build: ${compiled} entry points in ${WORKSPACES.length} workspace packages compiled to dist/ in ${seconds(started)} s\n`,
);
if (DECLARATIONS) {
  const declared = performance.now();
  const files = buildDeclarations(ROOT, PACKAGES);
  process.stderr.write(
    `build: ${files} type declaration files for ${PACKAGES.length} packages in ${seconds(declared)} s\n`,
  );
}
