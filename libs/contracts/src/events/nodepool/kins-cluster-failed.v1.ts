import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * KinsClusterFailed — the unit's agents reported that installing, running or uninstalling its
 * K3s cluster failed. Phase → Failed (recover: a later "running" report, or demote to clean up).
 * Emitter: nodepool (NodeUnit aggregate, on an agent report).
 * Invariants: `generation` is the current promotion's; `reason` is the agent's message.
 */
export const KinsClusterFailed = defineEvent({
  type: 'KinsClusterFailed',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-cluster-failed',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    reason: z.string(),
    at: z.string(),
  }),
});
export type KinsClusterFailedData = z.infer<typeof KinsClusterFailed.schema>;
