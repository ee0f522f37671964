import type { Command } from 'commander';

/**
 * The subcommand `name` of `parent`, created (with `description`, if given) when no other command
 * file has added it yet: several services' files add to one group (`node list`, `node health`).
 */
export function commandGroup(parent: Command, name: string, description?: string): Command {
  const existing = parent.commands.find((c) => c.name() === name);
  if (existing) return existing;
  const created = parent.command(name);
  return description === undefined ? created : created.description(description);
}
