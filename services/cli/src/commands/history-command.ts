import { csvRow } from '@indexflow/dataset-files';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';

interface HistoryFlags {
  index: string;
  from?: string;
  to?: string;
  format: string;
}

/** Registers `indexflow history`: an index's official closes from the Redis close history. */
export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description(COMMAND_SUMMARIES.history)
    .requiredOption('--index <id>', 'index id')
    .option('--from <date>', 'first trading date, YYYY-MM-DD')
    .option('--to <date>', 'last trading date, YYYY-MM-DD')
    .option('--format <format>', 'csv (date,index,close,… as `stats --closes` reads) or json', 'csv')
    .action(async (flags: HistoryFlags) => {
      try {
        if (flags.format !== 'csv' && flags.format !== 'json')
          throw new EodUsageError(`--format was "${flags.format}", expected csv or json`);
        const { history, redis } = await openCloseHistory(process.env);
        try {
          const closes = await history.range(flags.index, {
            ...(flags.from === undefined ? {} : { from: flags.from }),
            ...(flags.to === undefined ? {} : { to: flags.to }),
          });
          if (flags.format === 'json') {
            process.stdout.write(`${JSON.stringify(closes, null, 2)}\n`);
            return;
          }
          const lines = ['date,index,close,prev_close,divisor,fx_rate,fx_basis'];
          for (const c of closes)
            lines.push(
              csvRow([
                c.tradingDate,
                c.indexId,
                c.level,
                c.prevClose ?? '',
                c.divisor,
                c.fx?.rate ?? '',
                c.fx?.basis ?? '',
              ]),
            );
          process.stdout.write(`${lines.join('\n')}\n`);
        } finally {
          redis.disconnect();
        }
      } catch (error) {
        if (!(error instanceof EodUsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
