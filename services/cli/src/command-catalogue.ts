// Which module registers each top-level command. `indexflow <command> …` loads that command's
// module alone, and `indexflow --help` none of them: start-up costs what the command needs, not
// what every command needs (the Kafka clients, Redis, the registry client, the engine).
import type { Command } from 'commander';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';

type Register = (program: Command) => void;

const LOADERS: Record<CommandName, () => Promise<Register>> = {
  admin: async () => (await import('./commands/admin-command.js')).registerAdminCommand,
  recompute: async () => (await import('./commands/recompute-command.js')).registerRecomputeCommand,
  actions: async () => (await import('./commands/actions-command.js')).registerActionsCommand,
  proforma: async () => (await import('./commands/proforma-command.js')).registerProformaCommand,
  replay: async () => (await import('./commands/replay-command.js')).registerReplayCommand,
  simulate: async () => (await import('./commands/simulate-command.js')).registerSimulateCommand,
  stats: async () => (await import('./commands/stats-command.js')).registerStatsCommand,
  subscribe: async () => (await import('./commands/subscribe-command.js')).registerSubscribeCommand,
  eod: async () => (await import('./commands/eod-command.js')).registerEodCommand,
  history: async () => (await import('./commands/history-command.js')).registerHistoryCommand,
  backfill: async () => (await import('./commands/backfill-command.js')).registerBackfillCommand,
};

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(LOADERS, name);
}

/**
 * Registers the command `argv` names (also as `help <command>`), or, for the top-level help and
 * for anything else, every command as a one-line entry for commander to list or refuse.
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const wanted = argv[2] === 'help' ? argv[3] : argv[2];
  if (isCommandName(wanted)) {
    (await LOADERS[wanted]())(program);
    return;
  }
  for (const [name, summary] of Object.entries(COMMAND_SUMMARIES)) program.command(name).description(summary);
}
