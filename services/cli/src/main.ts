#!/usr/bin/env node
import { DatasetError } from '@indexflow/dataset-files';
import { IndexDefinitionError } from '@indexflow/index-engine';
import {
  KafkaSecurityConfigError,
  NativeClientUnavailableError,
  UnknownKafkaClientError,
} from '@indexflow/kafka';
import { RedisCredentialsError } from '@indexflow/redis-state';
import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerActionsCommand } from './commands/actions-command.js';
import { registerAdminCommand } from './commands/admin-command.js';
import { registerBackfillCommand } from './commands/backfill-command.js';
import { registerEodCommand } from './commands/eod-command.js';
import { registerHistoryCommand } from './commands/history-command.js';
import { registerProformaCommand } from './commands/proforma-command.js';
import { registerRecomputeCommand } from './commands/recompute-command.js';
import { registerReplayCommand } from './commands/replay-command.js';
import { registerSimulateCommand } from './commands/simulate-command.js';
import { registerStatsCommand } from './commands/stats-command.js';
import { registerSubscribeCommand } from './commands/subscribe-command.js';

const program = new Command()
  .name('indexflow')
  .description('IndexFlow: exact real-time index levels for A-share and Hong Kong constituents')
  .version(packageJson.version)
  .showHelpAfterError();

registerAdminCommand(program);
registerRecomputeCommand(program);
registerActionsCommand(program);
registerProformaCommand(program);
registerReplayCommand(program);
registerSimulateCommand(program);
registerStatsCommand(program);
registerSubscribeCommand(program);
registerEodCommand(program);
registerHistoryCommand(program);
registerBackfillCommand(program);

// `pnpm indexflow -- --version` hands the separator on; what follows it is still this command's.
const argv =
  process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
program.parseAsync(argv).catch((error: unknown) => {
  // A bad dataset or index file is the user's input, not a crash: its message names the file
  // and field (`<file>: <field>: <reason>`), with no stack, and the exit code is 2 in every command.
  // So is a KAFKA_CLIENT that names no client or a native client that did not build: the message
  // says what to do.
  if (
    error instanceof DatasetError ||
    error instanceof IndexDefinitionError ||
    error instanceof NativeClientUnavailableError ||
    error instanceof UnknownKafkaClientError ||
    error instanceof KafkaSecurityConfigError ||
    error instanceof RedisCredentialsError
  ) {
    process.stderr.write(`indexflow: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `indexflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  // At once: a client request still in flight (a native one waits out its timeout) has nothing
  // left to deliver to a command that failed. Writes to pipes and files are synchronous here.
  process.exit(1);
});
