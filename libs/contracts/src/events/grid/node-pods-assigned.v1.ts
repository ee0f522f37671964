import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, PodAssignmentSchema } from './shared.js';

/**
 * NodePodsAssigned — the full set of pods the grid service assigns to one node changed: what the
 * node's agent should run (the tunnel pushes it to the agent as desired state). Emitter: grid
 * service, node-pods aggregate (stream `nodepods:<clusterId>:<node>`), from the grid reconciler.
 * Invariants: `pods` is the FULL sorted set after the change (empty = run nothing); emitted only
 * when it differs from the previous set. `streamVersion` is the version of the node-pods stream
 * this event made: a consumer keeps the highest it applied and ignores an older one delivered late.
 */
export const NodePodsAssigned = defineEvent({
  type: 'NodePodsAssigned',
  version: 1,
  subject: 'edgeplane.grid.node.pods-assigned',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    node: z.string().min(1),
    pods: z.array(PodAssignmentSchema),
    streamVersion: z.number().int().positive(),
    at: GridInstant,
  }),
});
export type NodePodsAssignedData = z.infer<typeof NodePodsAssigned.schema>;
