import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, LabelMapSchema } from './shared.js';

/**
 * NodeSystemLabelsChanged — labels decided by another part of the platform (e.g. `nodepool`: unit
 * membership `<unit>: nodeunits.superedge.io`, group labels `<group>=<unit>`) were applied to a node.
 * Emitter: cluster service, Node aggregate, on behalf of `owner`. Invariants: an owner changes only
 * its own keys; a key is owned by one owner at a time; operators cannot set or remove these keys.
 */
export const NodeSystemLabelsChanged = defineEvent({
  type: 'NodeSystemLabelsChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.system-labels-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    owner: z.string().min(1),
    set: LabelMapSchema,
    removed: z.array(z.string()),
    changedAt: Instant,
  }),
});
export type NodeSystemLabelsChangedData = z.infer<typeof NodeSystemLabelsChanged.schema>;
