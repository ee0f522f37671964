import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeGroupDeleted — a NodeGroup is gone; the `<group>=<unit>` label leaves every node with the
 * next NodeMembershipChanged. Auto-found units it created are deleted by the reconciler.
 * Emitter: nodepool (NodeGroup aggregate). Invariant: emitted once per live group.
 */
export const NodeGroupDeleted = defineEvent({
  type: 'NodeGroupDeleted',
  version: 1,
  subject: 'edgeplane.nodepool.node-group.deleted',
  emitter: 'nodepool',
  schema: z.object({ clusterId: z.string(), name: z.string(), at: z.string() }),
});
export type NodeGroupDeletedData = z.infer<typeof NodeGroupDeleted.schema>;
