import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { CordonHolderSchema, Instant } from './shared.js';

/**
 * NodeUncordoned — a holder lifted its cordon (operator uncordon, or the tier was raised).
 * Emitter: cluster service, Node aggregate. Invariants: the holder held a cordon; the node is
 * schedulable again only when `stillCordonedBy` is empty.
 */
export const NodeUncordoned = defineEvent({
  type: 'NodeUncordoned',
  version: 1,
  subject: 'edgeplane.cluster.node.uncordoned',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    holder: CordonHolderSchema,
    stillCordonedBy: z.array(CordonHolderSchema),
    uncordonedAt: Instant,
  }),
});
export type NodeUncordonedData = z.infer<typeof NodeUncordoned.schema>;
