import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { NodeUnitSpecSchema } from './common.js';

/**
 * NodeUnitCreated — a NodeUnit (edge node pool, SPEC F-NP-1) now exists in a cluster.
 * Emitter: nodepool (NodeUnit aggregate, stream `nodeunit:<clusterId>:<name>`).
 * Invariants: `name` is a DNS-1123 label unique among the cluster's live units; `default` is true
 * only for `unit-node-all` (then `allNodes` is true and `nodes`/`selector` are empty);
 * `managedBy` names the NodeGroup whose autoFindNodeKeys created it. Membership is not in this
 * event: it follows from the spec and node labels and is published as NodeUnitMembersChanged.
 */
export const NodeUnitCreated = defineEvent({
  type: 'NodeUnitCreated',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.created',
  emitter: 'nodepool',
  schema: NodeUnitSpecSchema.extend({
    clusterId: z.string(),
    name: z.string(),
    default: z.boolean(),
    managedBy: z.string().optional(),
    at: z.string(),
  }),
});
export type NodeUnitCreatedData = z.infer<typeof NodeUnitCreated.schema>;
