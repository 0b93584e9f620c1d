import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from './command-catalogue.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';

const argv = (...args: string[]) => ['node', 'indexflow', ...args];

describe('command catalogue', () => {
  it('lists every command with its summary for the top-level help, loading none of them', async () => {
    const program = new Command();
    await registerCommands(program, argv('--help'));
    expect(program.commands.map((c) => [c.name(), c.description()])).toEqual(
      Object.entries(COMMAND_SUMMARIES),
    );
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
  });

  it.each(Object.keys(COMMAND_SUMMARIES))(
    'loads the real %s command, with the same summary',
    async (name) => {
      for (const args of [
        [name, '--help'],
        ['help', name],
      ]) {
        const program = new Command();
        await registerCommands(program, argv(...args));
        expect(program.commands.map((c) => c.name())).toEqual([name]);
        const command = program.commands[0]!;
        expect(command.description()).toBe(COMMAND_SUMMARIES[name as keyof typeof COMMAND_SUMMARIES]);
        // The real definition: options or subcommands of its own.
        expect(command.options.length + command.commands.length).toBeGreaterThan(0);
      }
    },
  );
});
