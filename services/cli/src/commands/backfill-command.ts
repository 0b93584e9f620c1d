import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ClosesFileWriter,
  DatasetError,
  type DatasetIssue,
  formatIssue,
  readActions,
  readIndexDefinitions,
  replayDataset,
} from '@indexflow/dataset-files';
import type { OfficialClose } from '@indexflow/index-engine';
import { closeToRecord } from '@indexflow/kafka';
import type { MarketCalendar } from '@indexflow/market-calendar';
import type { Command } from 'commander';
import { type CalendarFlags, calendarOption, commandCalendar, warnCalendarGap } from '../calendar-option.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';
import { closesFromClosingPrices } from '../eod/closes-from-closing-prices.js';
import { EodInputError } from '../eod/eod-errors.js';
import { readClosingFx, readClosingPrices } from '../eod/read-closing-prices.js';

interface BackfillFlags extends CalendarFlags {
  quiet?: boolean;
  closingPrices?: string;
  indices?: string;
  fx?: string;
  out?: string;
}

/** The closes of either source: a dataset replayed tick by tick, or one closing price per symbol and day. */
async function computeCloses(
  datasetDir: string | undefined,
  flags: BackfillFlags,
  calendar: MarketCalendar,
  onIssue: (i: DatasetIssue) => void,
): Promise<OfficialClose[]> {
  if ((datasetDir === undefined) === (flags.closingPrices === undefined))
    throw new EodUsageError(
      'give a <dataset-dir> of ticks, or --closing-prices <file.csv> with --indices <dataset-dir>',
    );
  if (flags.closingPrices === undefined) {
    if (flags.indices !== undefined || flags.fx !== undefined)
      throw new EodUsageError('--indices and --fx go with --closing-prices');
    const closes: OfficialClose[] = [];
    await replayDataset(resolve(datasetDir!), {
      onLevel: () => {},
      onClose: (c) => closes.push(c),
      onIssue,
      onCalendarGap: warnCalendarGap,
      engine: { calendar },
    });
    return closes;
  }
  if (flags.indices === undefined)
    throw new EodUsageError(
      '--closing-prices needs --indices <dataset-dir> (indices/*.json, optional actions.csv)',
    );
  const dir = resolve(flags.indices);
  const pricesFile = resolve(flags.closingPrices);
  return closesFromClosingPrices({
    definitions: readIndexDefinitions(dir),
    prices: readClosingPrices(pricesFile),
    fx: flags.fx === undefined ? [] : readClosingFx(resolve(flags.fx)),
    adjustments: readActions(dir, onIssue),
    pricesFile,
    engine: { calendar },
    ...(flags.fx === undefined ? {} : { fxFile: resolve(flags.fx) }),
    onIssue,
    onCalendarGap: warnCalendarGap,
  });
}

interface ClosesSink {
  readonly where: string;
  put(close: OfficialClose): Promise<void>;
  /** After every close is put; a failed run never reaches it, so it leaves an existing --out file alone. */
  finish(): void;
  close(): void;
}

/**
 * Where the closes go: --out (JSON Lines, or the summary CSV for a .csv path) or the Redis close
 * history. Redis is connected before any computing, so a missing REDIS_URL fails before a long run.
 */
async function openSink(out: string | undefined): Promise<ClosesSink> {
  if (out !== undefined) {
    const path = resolve(out);
    const closes: OfficialClose[] = [];
    return {
      where: path,
      put: async (c) => {
        closes.push(c);
      },
      finish: () => {
        mkdirSync(dirname(path), { recursive: true });
        const writer = new ClosesFileWriter(path);
        try {
          for (const c of closes) writer.write(c);
        } finally {
          writer.close();
        }
      },
      close: () => {},
    };
  }
  const { history, redis } = await openCloseHistory(process.env);
  return {
    where: 'the close history',
    put: (c) => history.put(closeToRecord(c)),
    finish: () => {},
    close: () => redis.disconnect(),
  };
}

/**
 * Registers `indexflow backfill`: official closes computed offline with the calculator's engine
 * and close rules, from a dataset of historical ticks or from supplied closing prices, into the
 * close history (or a file).
 */
export function registerBackfillCommand(program: Command): void {
  const command = program
    .command('backfill')
    .description(COMMAND_SUMMARIES.backfill)
    .argument('[dataset-dir]', 'replay-format dataset directory of ticks (or use --closing-prices)')
    .option(
      '--closing-prices <file.csv>',
      'date,symbol,price[,HKDCNY]: one closing price per symbol and date',
    )
    .option('--indices <dataset-dir>', 'with --closing-prices: indices/*.json and optional actions.csv')
    .option('--fx <file.csv>', 'with --closing-prices: date,pair,rate[,source] closing FX rates')
    .option('--out <file>', 'write the closes here (.jsonl, or .csv summary) instead of Redis')
    .option('--quiet', 'do not print rejected rows');
  calendarOption(command).action(async (datasetDir: string | undefined, flags: BackfillFlags) => {
    try {
      if ((datasetDir === undefined) === (flags.closingPrices === undefined))
        throw new EodUsageError(
          'give a <dataset-dir> of ticks, or --closing-prices <file.csv> with --indices <dataset-dir>',
        );
      const calendar = commandCalendar(flags);
      const sink = await openSink(flags.out);
      try {
        const closes = await computeCloses(datasetDir, flags, calendar, (issue) => {
          if (!flags.quiet) process.stderr.write(`${formatIssue(issue)}\n`);
        });
        for (const close of closes) await sink.put(close);
        sink.finish();
        process.stderr.write(`backfill: ${closes.length} closes written to ${sink.where}\n`);
      } finally {
        sink.close();
      }
    } catch (error) {
      const usage =
        error instanceof EodUsageError || error instanceof DatasetError || error instanceof EodInputError;
      if (!usage) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
    }
  });
}
