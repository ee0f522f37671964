import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeUnitDemotedFromK3s — the agents reported K3s uninstalled; the unit is a normal unit again
 * (and may be deleted or promoted anew). Phase Demoting → none; its service CIDR and NodePort
 * range are free again. Emitter: nodepool (NodeUnit aggregate, on an agent report).
 */
export const NodeUnitDemotedFromK3s = defineEvent({
  type: 'NodeUnitDemotedFromK3s',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.demoted-from-k3s',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    at: z.string(),
  }),
});
export type NodeUnitDemotedFromK3sData = z.infer<typeof NodeUnitDemotedFromK3s.schema>;
