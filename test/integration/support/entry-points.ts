import { fileURLToPath } from 'node:url';

/**
 * What the integration and fault tests start as child processes: the compiled entry points
 * (`dist/main.js`, as in production and the images), which the global setup builds before any
 * test runs (`node scripts/build.mjs`, about 2 s), so they always match the sources. Not the
 * sources under tsx: its loader costs 1–2 s more at every start, and the suite starts a process
 * a few hundred times.
 */
const entry = (service: string) =>
  fileURLToPath(new URL(`../../../services/${service}/dist/main.js`, import.meta.url));

export const CLI = entry('cli');
export const CALCULATOR = entry('index-calculator');
export const CORPORATE_ACTIONS = entry('corporate-actions');
export const GATEWAY = entry('gateway');
export const EMBEDDED = entry('embedded');

/**
 * Node's arguments to run an entry point; `preloads` are test modules imported first (a fault
 * injector), written in TypeScript, so only then is tsx's loader added.
 */
export function nodeArgs(main: string, preloads: readonly string[] = []): string[] {
  const imports = preloads.length === 0 ? [] : ['tsx', ...preloads];
  return [...imports.flatMap((module) => ['--import', module]), main];
}
