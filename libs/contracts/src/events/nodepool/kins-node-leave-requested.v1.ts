import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { KinsRoleSchema } from './common.js';

/**
 * KinsNodeLeaveRequested — a node left a K3s unit (unit update, label change or node removal) and
 * must leave its K3s cluster; command to the node's agent. Emitter: nodepool (NodeUnit aggregate).
 * Invariants: the node was in the K3s cluster with `role`; an operator cannot drop a server from a
 * unit's explicit node list (refused), so `server` appears only when the node vanished otherwise.
 */
export const KinsNodeLeaveRequested = defineEvent({
  type: 'KinsNodeLeaveRequested',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-node-leave-requested',
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
export type KinsNodeLeaveRequestedData = z.infer<typeof KinsNodeLeaveRequested.schema>;
