import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { NodeGroupSpecSchema } from './common.js';

/**
 * NodeGroupCreated — a NodeGroup (node pool classification, SPEC F-NP-2) now exists.
 * Emitter: nodepool (NodeGroup aggregate, stream `nodegroup:<clusterId>:<name>`).
 * Invariants: `name` is a DNS-1123 label, distinct from every unit name of the cluster (both are
 * node label keys); at creation no node was in two of its units. Its resolved unit list is
 * published as NodeGroupUnitsChanged.
 */
export const NodeGroupCreated = defineEvent({
  type: 'NodeGroupCreated',
  version: 1,
  subject: 'edgeplane.nodepool.node-group.created',
  emitter: 'nodepool',
  schema: NodeGroupSpecSchema.extend({ clusterId: z.string(), name: z.string(), at: z.string() }),
});
export type NodeGroupCreatedData = z.infer<typeof NodeGroupCreated.schema>;
