import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, TaintSchema } from './shared.js';

/**
 * NodeTaintsChanged — operator-owned taints of a node changed (F-NO-6).
 * Emitter: cluster service, Node aggregate. Invariants: a taint is identified by (key, effect);
 * `taints` is the complete operator taint list afterwards; no reserved or system-owned key.
 */
export const NodeTaintsChanged = defineEvent({
  type: 'NodeTaintsChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.taints-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    added: z.array(TaintSchema),
    removed: z.array(TaintSchema),
    taints: z.array(TaintSchema),
    changedAt: Instant,
  }),
});
export type NodeTaintsChangedData = z.infer<typeof NodeTaintsChanged.schema>;
