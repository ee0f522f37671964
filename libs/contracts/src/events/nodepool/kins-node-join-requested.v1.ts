import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { KinsRoleSchema } from './common.js';

/**
 * KinsNodeJoinRequested — a node became a member of a K3s unit (Promoting, Independent or Failed)
 * and must join its K3s cluster; command to the node's agent. Emitter: nodepool (NodeUnit
 * aggregate, when the resolved members change). Invariants: role is always `agent` (servers are
 * fixed at promotion); once per node per membership change.
 */
export const KinsNodeJoinRequested = defineEvent({
  type: 'KinsNodeJoinRequested',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-node-join-requested',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    node: z.string(),
    role: KinsRoleSchema,
    at: z.string(),
  }),
});
export type KinsNodeJoinRequestedData = z.infer<typeof KinsNodeJoinRequested.schema>;
