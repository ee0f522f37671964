import type { Command } from 'commander';

/** `edgeplane` commands served by the nodepool service (filled in with the service's API). */
export function registerNodepoolCommands(_program: Command): void {}
