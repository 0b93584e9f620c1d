#!/usr/bin/env node
import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerCommands } from './command-catalogue.js';
import { isUserError } from './user-errors.js';

const program = new Command()
  .name('indexflow')
  .description('IndexFlow: exact real-time index levels for A-share and Hong Kong constituents')
  .version(packageJson.version)
  .showHelpAfterError();

// `pnpm indexflow -- --version` hands the separator on; what follows it is still this command's.
const argv =
  process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;

try {
  await registerCommands(program, argv);
  await program.parseAsync(argv);
} catch (error) {
  if (await isUserError(error)) {
    process.stderr.write(`indexflow: ${(error as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `indexflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  // At once: a client request still in flight (a native one waits out its timeout) has nothing
  // left to deliver to a command that failed. Writes to pipes and files are synchronous here.
  process.exit(1);
}
