import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeUnitUpgradedToK3s — the unit's agents reported its K3s cluster running: the unit is
 * "independent" and keeps working offline. Phase Promoting|Failed → Independent.
 * Emitter: nodepool (NodeUnit aggregate, on an agent report).
 * Invariants: `generation` is the current promotion's; emitted once per transition.
 */
export const NodeUnitUpgradedToK3s = defineEvent({
  type: 'NodeUnitUpgradedToK3s',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.upgraded-to-k3s',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    apiServerEndpoint: z.string().optional(),
    k3sVersion: z.string().optional(),
    at: z.string(),
  }),
});
export type NodeUnitUpgradedToK3sData = z.infer<typeof NodeUnitUpgradedToK3s.schema>;
