import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Announcement, readAnnouncements } from '@indexflow/corporate-actions';
import { datasetEvents, filterFxEvents, formatIssue, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexDefinition, IndexEvent, Rejection } from '@indexflow/index-engine';
import { ACTIONS_CSV_HEADER, addCalendarDays, formatActionLine } from '@indexflow/market-simulator';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { registerAnnouncements, simulatedActionsOf, withAdjustments } from './action-stage.js';
import { defaultAnnouncements } from './default-announcements.js';
import { firstTradingDate, readIndexFiles, writeSimulatedDays } from './simulated-days.js';

export interface PrepareDayOptions {
  readonly datasetDir: string;
  readonly seed: number;
  readonly days: number;
  readonly snapshotIntervalMs?: number;
  /** The FX filter's jump band, a fraction (the FX service's FX_MAX_JUMP). */
  readonly fxMaxJump: string;
  /** Announcements in the `indexflow actions import` format; default: defaultAnnouncements. */
  readonly actionsFile?: string;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

/** The announcements of the run, with the rows of an actions file that could not be read. */
function announcementsOf(options: PrepareDayOptions, startDate: string): Announcement[] {
  if (options.actionsFile === undefined) return defaultAnnouncements(startDate, options.now());
  const announcements: Announcement[] = [];
  for (const row of readAnnouncements(options.actionsFile, options.now())) {
    if ('problem' in row) options.log(`${options.actionsFile}:${row.line}: refused: ${row.problem}`);
    else announcements.push(row.announcement);
  }
  return announcements;
}

/**
 * The calculator's input for the simulated days: announcements through the corporate-actions
 * register, the simulator moving prices by the accepted actions, FX quotes through the FX filter.
 * The dataset directory ends up holding the same day for the offline replay: indices, ticks, raw
 * FX quotes, and the register's published actions as actions.csv.
 */
export function prepareDay(options: PrepareDayOptions): {
  definitions: IndexDefinition[];
  events: IndexEvent[];
} {
  const { log } = options;
  const indexFiles = readIndexFiles(SAMPLE_DIR);
  const startDate = firstTradingDate(indexFiles);
  // The register's business date is the previous close's, as when the service publishes a date
  // the evening before it.
  const registered = registerAnnouncements(
    readIndexDefinitions(SAMPLE_DIR),
    announcementsOf(options, startDate),
    addCalendarDays(startDate, -1),
  );
  for (const refusal of registered.refusals)
    log(`embedded: action refused: ${refusal.reason}: ${refusal.detail}`);
  for (const adjustment of registered.adjustments) {
    const actions = adjustment.actions.map((a) => `${a.type} ${a.symbol}`).join(', ');
    log(`embedded: corporate actions of ${adjustment.effectiveDate}: ${actions}`);
  }
  const actions = simulatedActionsOf(registered.adjustments);
  writeSimulatedDays({
    out: options.datasetDir,
    indexFiles,
    startDate,
    seed: options.seed,
    days: options.days,
    actions,
    ...(options.snapshotIntervalMs === undefined ? {} : { snapshotIntervalMs: options.snapshotIntervalMs }),
  });
  const definitions = readIndexDefinitions(options.datasetDir);
  // Read before actions.csv exists: the calculator's adjustments come from the register, and the
  // file written next is for the offline replay of the same day.
  const market = [...datasetEvents(options.datasetDir, (issue) => log(formatIssue(issue)))];
  if (actions.length > 0) {
    writeFileSync(
      join(options.datasetDir, 'actions.csv'),
      `${ACTIONS_CSV_HEADER}\n${actions.map(formatActionLine).join('')}`,
    );
  }
  const fxRefused = new Map<string, number>();
  const onFxRefused = (rejection: Rejection) =>
    fxRefused.set(rejection.reason, (fxRefused.get(rejection.reason) ?? 0) + 1);
  const events: IndexEvent[] = [
    ...withAdjustments(
      filterFxEvents(market, { maxJump: options.fxMaxJump }, onFxRefused),
      registered.adjustments,
    ),
  ];
  const refusedText = [...fxRefused].map(([reason, n]) => `${reason}=${n}`).join(' ');
  log(
    `embedded: ${definitions.length} indices, ${events.length.toLocaleString('en-US')} events simulated in ${options.datasetDir}; FX filter (max jump ${options.fxMaxJump}) refused ${[...fxRefused.values()].reduce((a, b) => a + b, 0)}${refusedText ? ` (${refusedText})` : ''}`,
  );
  return { definitions, events };
}
