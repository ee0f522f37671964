import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { NodeUnitSpecSchema } from './common.js';

/**
 * NodeUnitUpdated — a NodeUnit's spec was replaced (type, explicit nodes, selector, setNode,
 * unit labels). Emitter: nodepool (NodeUnit aggregate).
 * Invariants: carries the FULL new spec (not a patch); emitted only when it differs from the
 * previous one; the default unit keeps `allNodes: true` and no nodes/selector.
 */
export const NodeUnitUpdated = defineEvent({
  type: 'NodeUnitUpdated',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.updated',
  emitter: 'nodepool',
  schema: NodeUnitSpecSchema.extend({ clusterId: z.string(), name: z.string(), at: z.string() }),
});
export type NodeUnitUpdatedData = z.infer<typeof NodeUnitUpdated.schema>;
