/**
 * `pnpm bench:startup`: how long the `indexflow` command takes to start and to replay a small
 * dataset, compiled (`pnpm build`, plain node) and from the TypeScript sources (tsx), as ratios
 * to a bare `node -e 0` measured in the same run. Runs `pnpm build` first. Each figure is the
 * median of BENCH_RUNS (7) wall-clock runs, alternated so machine load hits every variant alike.
 * The last line is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TICKS = 1_000;
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const COMPILED = join(ROOT, 'services/cli/dist/main.js');
const SOURCE = join(ROOT, 'services/cli/src/main.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** The sample's indices and FX with its first TICKS ticks. */
function smallDataset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-bench-startup-'));
  cpSync(join(SAMPLE, 'indices'), join(dir, 'indices'), { recursive: true });
  cpSync(join(SAMPLE, 'fx.csv'), join(dir, 'fx.csv'));
  const lines = readFileSync(join(SAMPLE, 'ticks.csv'), 'utf8').split('\n');
  writeFileSync(join(dir, 'ticks.csv'), `${lines.slice(0, TICKS + 1).join('\n')}\n`);
  mkdirSync(join(dir, 'out'));
  return dir;
}

function timed(command: string, args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr.toString()}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const dataset = smallDataset();
const replay = (out: string) => ['replay', dataset, '--out', join(dataset, 'out', out), '--quiet'];
const variants: Record<string, () => number> = {
  nodeBare: () => timed(process.execPath, ['-e', '0']),
  helpCompiled: () => timed(process.execPath, [COMPILED, '--help']),
  helpSource: () => timed(TSX, [SOURCE, '--help']),
  replayCompiled: () => timed(process.execPath, [COMPILED, ...replay('compiled.csv')]),
  replaySource: () => timed(TSX, [SOURCE, ...replay('source.csv')]),
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const loadStart = loadavg()[0]!;
for (let run = 0; run < RUNS; run += 1) {
  for (const [name, measure] of Object.entries(variants)) samples[name]!.push(measure());
}
const same =
  readFileSync(join(dataset, 'out', 'compiled.csv'), 'utf8') ===
  readFileSync(join(dataset, 'out', 'source.csv'), 'utf8');
rmSync(dataset, { recursive: true, force: true });

const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
const bare = ms.nodeBare!;
const ratio = (name: string) => Number((ms[name]! / bare).toFixed(1));
const result = {
  runs: RUNS,
  replayTicks: TICKS,
  medianMs: ms,
  ratioToNodeBare: {
    helpCompiled: ratio('helpCompiled'),
    helpSource: ratio('helpSource'),
    replayCompiled: ratio('replayCompiled'),
    replaySource: ratio('replaySource'),
  },
  compiledEqualsSourceLevels: same,
  loadAverage1m: { start: Number(loadStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
};
console.log(`node -e 0: ${bare} ms (median of ${RUNS})`);
console.log(
  `indexflow --help: compiled ${ms.helpCompiled} ms (${result.ratioToNodeBare.helpCompiled}×), from sources with tsx ${ms.helpSource} ms (${result.ratioToNodeBare.helpSource}×)`,
);
console.log(
  `replay of ${TICKS.toLocaleString('en')} ticks: compiled ${ms.replayCompiled} ms (${result.ratioToNodeBare.replayCompiled}×), tsx ${ms.replaySource} ms (${result.ratioToNodeBare.replaySource}×); same levels: ${same}`,
);
console.log(JSON.stringify(result));
