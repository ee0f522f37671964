import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, TaintSchema } from './shared.js';

/**
 * NodeSystemTaintsChanged — the taints one system owner (e.g. `health-arbiter`:
 * `node.kubernetes.io/unreachable:NoSchedule|NoExecute`) holds on a node were replaced.
 * Emitter: cluster service, Node aggregate, on behalf of `owner`.
 * Invariants: `taints` is that owner's complete set afterwards (empty = all lifted).
 */
export const NodeSystemTaintsChanged = defineEvent({
  type: 'NodeSystemTaintsChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.system-taints-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    owner: z.string().min(1),
    taints: z.array(TaintSchema),
    changedAt: Instant,
  }),
});
export type NodeSystemTaintsChangedData = z.infer<typeof NodeSystemTaintsChanged.schema>;
