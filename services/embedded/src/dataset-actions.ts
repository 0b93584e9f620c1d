import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetEvents } from '@indexflow/dataset-files';
import { tradingDayOf } from '@indexflow/index-engine';

const CLI = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
const SERVICE = fileURLToPath(new URL('../../corporate-actions/src/main.ts', import.meta.url));

/** A step of the run on real services that exited badly: the command and how it ended. */
export class RealServicesStepError extends Error {
  override readonly name = 'RealServicesStepError';
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step} failed: ${detail.slice(-200)}`);
  }
}

/** Runs `indexflow <args>`; resolves when it exits 0, its stderr shown as it comes. */
function indexflow(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new RealServicesStepError(`indexflow ${args[0]} ${args[1]}`, `exit ${code}`)),
    ),
  );
}

/** The trading date of the dataset's first event: the business date its actions are imported on. */
function firstDate(datasetDir: string): string | null {
  for (const event of datasetEvents(datasetDir, () => {})) return tradingDayOf(event.eventTime).date;
  return null;
}

/**
 * A dataset's actions.csv on real services, as an operator replays history (docs/calculator.md,
 * "Replaying history with corporate actions"): the topics created, the corporate-actions service running
 * with the dataset's first date as its business date, and the actions imported until their
 * adjustments are on the adjustments topic, before any tick is produced. Returns the running
 * service to stop after the day, or null when the dataset has no actions.
 */
export async function publishDatasetActions(
  datasetDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<ChildProcess | null> {
  const file = join(datasetDir, 'actions.csv');
  const asOf = firstDate(datasetDir);
  if (!existsSync(file) || asOf === null) return null;
  await indexflow(['admin', 'init'], env);
  const service = spawn(process.execPath, ['--import', 'tsx', SERVICE], {
    env: {
      ...env,
      SERVICE_ID: 'embedded',
      CALCULATOR_ID: 'embedded',
      INDEX_DEFINITIONS_DIR: datasetDir,
      AS_OF_DATE: asOf,
      SCHEDULE_CHECK_MS: '200',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await indexflow(['actions', 'import', file, '--indices', datasetDir, '--as-of', asOf, '--strict'], env);
  } catch (error) {
    service.kill('SIGTERM');
    throw error;
  }
  log(`embedded: corporate actions of ${file} published by the corporate-actions service (as of ${asOf})`);
  return service;
}
