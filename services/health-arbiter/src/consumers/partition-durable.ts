import { SIGNAL_PARTITIONS } from '@edgeplane/contracts';
import { parsePartitions } from '../config.js';

/**
 * Durable consumer name for an instance's partition set. Every instance must see EVERY node and
 * settings event of the clusters it judges, so instances owning different partitions must not
 * share a durable (that would split the events between them): the default (all partitions) keeps
 * the plain `<service>__<purpose>` name, a partial set appends it, e.g. `…__membership-p00-15`.
 * Read from the process env at import time (decorators are static); an invalid value is reported
 * by the config check at boot.
 */
export function partitionDurable(base: string, env: NodeJS.ProcessEnv = process.env): string {
  let partitions: number[];
  try {
    partitions = parsePartitions(env.HEALTH_PARTITIONS ?? `0-${SIGNAL_PARTITIONS - 1}`);
  } catch {
    return base;
  }
  if (partitions.length === SIGNAL_PARTITIONS) return base;
  const pad = (n: number) => String(n).padStart(2, '0');
  const ranges: string[] = [];
  let start = partitions[0]!;
  let prev = start;
  for (const p of [...partitions.slice(1), Number.NaN]) {
    if (p === prev + 1) {
      prev = p;
      continue;
    }
    ranges.push(start === prev ? `p${pad(start)}` : `p${pad(start)}-${pad(prev)}`);
    start = p;
    prev = p;
  }
  return `${base}-${ranges.join('-')}`;
}
