import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterCapacityCordonsLifted — nodes that had joined beyond the tier's node cap now fit (the tier
 * was raised, or in-cap nodes left) and must recover by themselves (F-CL-3).
 * Emitter: cluster service, Cluster aggregate. A process in the cluster service reacts by sending
 * `LiftCapacityCordon` to each listed Node aggregate (which lifts only the `tier-capacity` cordon).
 * Invariants: `nodeNames` is non-empty, in join order, and each was admitted with overCapacity.
 */
export const ClusterCapacityCordonsLifted = defineEvent({
  type: 'ClusterCapacityCordonsLifted',
  version: 1,
  subject: 'edgeplane.cluster.cluster.capacity-cordons-lifted',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeNames: z.array(z.string()).min(1),
    tier: z.string(),
    liftedAt: Instant,
  }),
});
export type ClusterCapacityCordonsLiftedData = z.infer<typeof ClusterCapacityCordonsLifted.schema>;
