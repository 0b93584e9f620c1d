import { join } from 'node:path';
import {
  computeProforma,
  engineBeforeDate,
  type IndexProforma,
  isCalendarDate,
  proformaChanges,
} from '@indexflow/corporate-actions';
import { readActions } from '@indexflow/dataset-files';
import type { Command } from 'commander';
import { type CalendarFlags, calendarOption, commandCalendar, warnCalendarGap } from '../calendar-option.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface ProformaFlags extends CalendarFlags {
  readonly index: string;
  readonly date: string;
  readonly dataset: string;
  readonly format: 'table' | 'json';
}

/** The pro-forma as a fixed-width table: one line per constituent, the divisor and level below. */
export function formatProformaTable(p: IndexProforma): string {
  const rows = [
    [
      'symbol',
      'ccy',
      'prev close',
      'ref price',
      'shares before',
      'shares after',
      'weight before',
      'weight after',
      'cap factor',
    ],
  ];
  for (const c of p.constituents) {
    rows.push([
      c.symbol,
      c.currency,
      c.priceBefore ?? '-',
      c.priceAfter ?? '-',
      c.sharesBefore ?? '(added)',
      c.sharesAfter ?? '(deleted)',
      c.weightBefore ?? '-',
      c.weightAfter ?? '-',
      c.capFactor,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  const close = p.previousClose;
  lines.push(
    '',
    `previous official close  ${close === null ? '-' : `${close.level} (${close.date})`}`,
    `divisor                  ${p.divisorBefore ?? '-'} → ${p.divisorAfter ?? '-'}`,
    `level at 00:00           ${p.levelBefore ?? '-'} → ${p.levelAfter ?? '-'}  (closing prices, FX in force at 00:00)`,
  );
  for (const r of p.rejections) lines.push(`refused: ${r.reason}: ${r.detail}`);
  return `${p.indexId} pro-forma for ${p.effectiveDate} (weights at previous close / reference prices)\n${lines.join('\n')}\n`;
}

async function proformaAction(flags: ProformaFlags): Promise<void> {
  if (!isCalendarDate(flags.date))
    throw new Error(`--date must be YYYY-MM-DD, was ${JSON.stringify(flags.date)}`);
  const { definitions, engine, closes } = await engineBeforeDate(flags.dataset, flags.date, {
    calendar: commandCalendar(flags),
    onCalendarGap: warnCalendarGap,
  });
  if (!engine.indexIds.includes(flags.index)) {
    throw new Error(
      `--index ${flags.index} is not in ${join(flags.dataset, 'indices')} (${engine.indexIds.join(', ')})`,
    );
  }
  const adjustment = readActions(flags.dataset, () => {}).find((a) => a.effectiveDate === flags.date);
  if (adjustment === undefined) {
    process.stdout.write(`${flags.index}: no actions take effect on ${flags.date}\n`);
    return;
  }
  const [proforma] = computeProforma(definitions, engine, adjustment, [flags.index], closes);
  if (!proforma) return;
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...proforma, changes: proformaChanges(proforma) }, null, 2)}\n`);
  } else {
    process.stdout.write(formatProformaTable(proforma));
  }
}

export function registerProformaCommand(program: Command): void {
  const command = program
    .command('proforma')
    .description(COMMAND_SUMMARIES.proforma)
    .requiredOption('--index <id>', 'index id, e.g. 995365.SSI')
    .requiredOption('--date <YYYY-MM-DD>', 'effective (ex-)date')
    .requiredOption(
      '--dataset <dir>',
      'replay-format dataset: indices, ticks and fx up to the date, and actions.csv',
    )
    .option('--format <format>', 'table or json', 'table');
  calendarOption(command).action(proformaAction);
}
