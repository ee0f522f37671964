import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { CordonHolderSchema, Instant } from './shared.js';

/**
 * NodeCordoned — a holder put the node in SchedulingDisabled: no new pods (F-NO-6, F-CL-3).
 * Emitter: cluster service, Node aggregate. Holder `operator`: cordon or drain; holder
 * `tier-capacity`: the node joined beyond the tier's node cap with auto-upgrade off.
 * Invariants: the holder did not already hold a cordon; `reason` is for humans.
 */
export const NodeCordoned = defineEvent({
  type: 'NodeCordoned',
  version: 1,
  subject: 'edgeplane.cluster.node.cordoned',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    holder: CordonHolderSchema,
    reason: z.string(),
    cordonedAt: Instant,
  }),
});
export type NodeCordonedData = z.infer<typeof NodeCordoned.schema>;
