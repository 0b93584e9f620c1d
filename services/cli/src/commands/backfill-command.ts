import { resolve } from 'node:path';
import { DatasetError, formatIssue, replayDataset } from '@indexflow/dataset-files';
import type { OfficialClose } from '@indexflow/index-engine';
import { closeToRecord } from '@indexflow/kafka';
import type { Command } from 'commander';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';

/**
 * Registers `indexflow backfill`: replays a dataset of historical ticks offline (the same engine
 * and close rules as the calculator) and writes its official closes to the close history.
 */
export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('compute official closes from a historical dataset (offline replay) into the close history')
    .argument('<dataset-dir>', 'replay-format dataset directory')
    .option('--quiet', 'do not print rejected rows')
    .action(async (datasetDir: string, flags: { quiet?: boolean }) => {
      const closes: OfficialClose[] = [];
      try {
        replayDataset(resolve(datasetDir), {
          onLevel: () => {},
          onClose: (close) => closes.push(close),
          onIssue: (issue) => {
            if (!flags.quiet) process.stderr.write(`${formatIssue(issue)}\n`);
          },
        });
        const { history, redis } = await openCloseHistory(process.env);
        try {
          for (const close of closes) await history.put(closeToRecord(close));
        } finally {
          redis.disconnect();
        }
        process.stderr.write(`backfill: ${closes.length} closes written to the close history\n`);
      } catch (error) {
        if (!(error instanceof EodUsageError) && !(error instanceof DatasetError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
