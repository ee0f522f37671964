import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeUnitDeleted — a NodeUnit is gone; every label, annotation and taint it put on nodes is
 * stripped by the next NodeMembershipChanged of each former member (also for selector-only
 * units). Emitter: nodepool (NodeUnit aggregate).
 * Invariants: never for the default unit `unit-node-all`; never while the unit is a K3s (Kins)
 * unit in any phase — it must be demoted first.
 */
export const NodeUnitDeleted = defineEvent({
  type: 'NodeUnitDeleted',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.deleted',
  emitter: 'nodepool',
  schema: z.object({ clusterId: z.string(), name: z.string(), at: z.string() }),
});
export type NodeUnitDeletedData = z.infer<typeof NodeUnitDeleted.schema>;
