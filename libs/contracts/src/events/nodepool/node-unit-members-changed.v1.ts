import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeUnitMembersChanged — the resolved member set of a unit (explicit nodes that exist ∪
 * selector matches, or every node for `unit-node-all`) changed. Emitter: nodepool (NodeUnit
 * aggregate, from the membership reconciler). Consumers: unit status projection, health-arbiter
 * (multi-region peer sets), Kins.
 * Invariants: `members` is the full sorted set after the change; `added`/`removed` are the
 * difference to the previous set and never both empty.
 */
export const NodeUnitMembersChanged = defineEvent({
  type: 'NodeUnitMembersChanged',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.members-changed',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    name: z.string(),
    members: z.array(z.string()),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    at: z.string(),
  }),
});
export type NodeUnitMembersChangedData = z.infer<typeof NodeUnitMembersChanged.schema>;
