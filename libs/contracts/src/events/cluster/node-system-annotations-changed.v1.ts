import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, LabelMapSchema } from './shared.js';

/**
 * NodeSystemAnnotationsChanged — annotations decided by another part of the platform (e.g.
 * `nodepool`: the `setNode.annotations` of the NodeUnits the node is in) were applied to a node.
 * Emitter: cluster service, Node aggregate, on behalf of `owner`. `set` holds the keys added or
 * given a new value, `removed` the keys the owner no longer sets; never both empty.
 * Invariants: an owner changes only its own keys; a key is owned by one owner at a time; keys are
 * Kubernetes qualified names, values free text; the node's annotations total at most 256 KiB
 * (keys + values, as Kubernetes caps `metadata.annotations`).
 */
export const NodeSystemAnnotationsChanged = defineEvent({
  type: 'NodeSystemAnnotationsChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.system-annotations-changed',
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
export type NodeSystemAnnotationsChangedData = z.infer<typeof NodeSystemAnnotationsChanged.schema>;
