import type { Command } from 'commander';

/** `edgeplane` commands served by the health service (filled in with the service's API). */
export function registerHealthCommands(_program: Command): void {}
