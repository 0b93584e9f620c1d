#!/usr/bin/env node
import { Command } from 'commander';
import { registerReplayCommand } from './commands/replay-command.js';
import { registerSimulateCommand } from './commands/simulate-command.js';
import { registerStatsCommand } from './commands/stats-command.js';
import { registerSubscribeCommand } from './commands/subscribe-command.js';

const program = new Command()
  .name('indexflow')
  .description('IndexFlow: exact real-time index levels for A-share and Hong Kong constituents')
  .showHelpAfterError();

registerReplayCommand(program);
registerSimulateCommand(program);
registerStatsCommand(program);
registerSubscribeCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `indexflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
