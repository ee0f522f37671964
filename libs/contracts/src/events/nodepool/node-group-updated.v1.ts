import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { NodeGroupSpecSchema } from './common.js';

/**
 * NodeGroupUpdated — a NodeGroup's spec (unit names, unit selector, autoFindNodeKeys) was
 * replaced. Emitter: nodepool (NodeGroup aggregate).
 * Invariants: full new spec; only when it differs; the change did not put a node into two units
 * of the group (refused otherwise).
 */
export const NodeGroupUpdated = defineEvent({
  type: 'NodeGroupUpdated',
  version: 1,
  subject: 'edgeplane.nodepool.node-group.updated',
  emitter: 'nodepool',
  schema: NodeGroupSpecSchema.extend({ clusterId: z.string(), name: z.string(), at: z.string() }),
});
export type NodeGroupUpdatedData = z.infer<typeof NodeGroupUpdated.schema>;
