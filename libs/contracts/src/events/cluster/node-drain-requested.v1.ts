import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * NodeDrainRequested — evict every pod of the node (F-NO-6). The grid service consumes it and
 * evicts/reschedules inside the node's unit.
 * Emitter: cluster service, Node aggregate. Invariants: the node is cordoned by the operator when
 * this is emitted (a NodeCordoned precedes it if needed); one pending drain per node.
 */
export const NodeDrainRequested = defineEvent({
  type: 'NodeDrainRequested',
  version: 1,
  subject: 'edgeplane.cluster.node.drain-requested',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    requestId: z.string().min(1),
    gracePeriodSeconds: z.number().int().nonnegative(),
    requestedAt: Instant,
  }),
});
export type NodeDrainRequestedData = z.infer<typeof NodeDrainRequested.schema>;
