import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DatasetError,
  type DatasetIssue,
  formatIssue,
  LevelsCsvWriter,
  replayDataset,
  shanghaiDate,
} from '@indexflow/dataset-files';
import { formatFixed, type IndexLevel } from '@indexflow/index-engine';
import type { Command } from 'commander';

interface ReplayFlags {
  out: string;
  strict?: boolean;
  quiet?: boolean;
  fxMaxAgeMs?: string;
  rejectUnknownSymbols?: boolean;
}

/** Last level of each (index, trading date): the closes table printed after a replay. */
function closesTable(closes: Map<string, IndexLevel>): string {
  const rows = [...closes.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const lines = ['date        index         close          sequence'];
  for (const [key, level] of rows) {
    const [date, index] = key.split('|');
    lines.push(`${date}  ${index!.padEnd(12)}  ${formatFixed(level.level, 4).padStart(12)}  ${String(level.sequence).padStart(9)}`);
  }
  return lines.join('\n');
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('compute index levels offline from a dataset directory (indices/*.json, ticks.csv, fx.csv, actions.csv)')
    .argument('<dataset-dir>', 'dataset directory')
    .option('--out <file>', 'levels CSV to write (- for stdout)', 'levels.csv')
    .option('--strict', 'exit non-zero when any row or event was rejected')
    .option('--quiet', 'do not print rejected rows, progress or the closes table')
    .option('--fx-max-age-ms <ms>', 'refuse HK ticks priced with an HKDCNY rate older than this')
    .option('--reject-unknown-symbols', 'report ticks of symbols in no index (default: keep their price silently)')
    .addHelpText(
      'after',
      '\nExamples:\n  pnpm indexflow replay packages/seed-indices/sample --out levels.csv\n  pnpm indexflow replay ./my-dataset --out - --strict > levels.csv\n',
    )
    .action((datasetDir: string, flags: ReplayFlags) => {
      const out = flags.out === '-' ? '-' : resolve(flags.out);
      if (out !== '-') mkdirSync(dirname(out), { recursive: true });
      const writer = new LevelsCsvWriter(out);
      const closes = new Map<string, IndexLevel>();
      const interactive = process.stderr.isTTY && !flags.quiet;
      const maxAge = flags.fxMaxAgeMs === undefined ? undefined : Number(flags.fxMaxAgeMs);
      if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge >= 0)) {
        process.stderr.write(`error: --fx-max-age-ms must be a non-negative number, was ${flags.fxMaxAgeMs}\n`);
        process.exitCode = 2;
        return;
      }
      let summary: ReturnType<typeof replayDataset>;
      try {
        summary = replayDataset(resolve(datasetDir), {
          onLevel: (level) => {
            writer.write(level);
            closes.set(`${shanghaiDate(level.eventTime)}|${level.indexId}`, level);
          },
          onIssue: (issue: DatasetIssue) => {
            if (!flags.quiet) process.stderr.write(`${formatIssue(issue)}\n`);
          },
          onProgress: interactive ? (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} events…`) : undefined,
          engine: {
            ...(maxAge === undefined ? {} : { fxMaxAgeMs: maxAge }),
            rejectUnknownSymbols: flags.rejectUnknownSymbols ?? false,
          },
        });
      } catch (error) {
        writer.close();
        if (error instanceof DatasetError) {
          process.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
      writer.close();
      if (interactive) process.stderr.write('\r');
      const seconds = summary.durationMs / 1000;
      const rate = seconds > 0 ? Math.round(summary.ticks / seconds) : summary.ticks;
      const reasons = Object.entries(summary.rejectedByReason)
        .map(([r, n]) => `${r}=${n}`)
        .join(' ');
      process.stderr.write(
        `replay: ${summary.indices} indices, ${summary.ticks} ticks, ${summary.fxRates} fx rates, ${summary.adjustments} ex-dates → ${summary.levels} levels` +
          ` in ${seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} ticks/s); rejected ${summary.rejected}${reasons ? ` (${reasons})` : ''}\n`,
      );
      if (!flags.quiet && out !== '-') process.stdout.write(`${closesTable(closes)}\nlevels written to ${out}\n`);
      if (flags.strict && summary.rejected > 0) process.exitCode = 1;
    });
}
