import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * NodeGroupUnitsChanged — the resolved unit list of a group (named units that exist ∪ units whose
 * labels match the selector ∪ auto-found units) changed. Emitter: nodepool (NodeGroup aggregate,
 * from the membership reconciler). Consumer: grid (one workload copy `<grid>-<unit>` per unit,
 * also for units that have no node yet).
 * Invariants: `units` is the full sorted list after the change; `added`/`removed` never both empty.
 */
export const NodeGroupUnitsChanged = defineEvent({
  type: 'NodeGroupUnitsChanged',
  version: 1,
  subject: 'edgeplane.nodepool.node-group.units-changed',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    name: z.string(),
    units: z.array(z.string()),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    at: z.string(),
  }),
});
export type NodeGroupUnitsChangedData = z.infer<typeof NodeGroupUnitsChanged.schema>;
