import type { Command } from 'commander';

/** `edgeplane` commands served by the cluster service (filled in with the service's API). */
export function registerClusterCommands(_program: Command): void {}
