import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, UsageSchema } from './shared.js';

/**
 * ClusterTierChanged — the cluster's tier (spec: caps on nodes, pods, ConfigMaps, CRDs) changed (F-CL-3).
 * Emitter: cluster service, Cluster aggregate.
 * Invariants: `cause: auto-upgrade` always goes exactly one step up, never down; a `down` change is
 * manual and only happens when `usage` fits the new caps; the Pod CIDR holds the new tier's pod quota.
 * Nodes cordoned for capacity that now fit are listed by a following ClusterCapacityCordonsLifted.
 */
export const ClusterTierChanged = defineEvent({
  type: 'ClusterTierChanged',
  version: 1,
  subject: 'edgeplane.cluster.cluster.tier-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    from: z.string(),
    to: z.string(),
    direction: z.enum(['up', 'down']),
    cause: z.enum(['auto-upgrade', 'manual']),
    usage: UsageSchema,
    changedAt: Instant,
  }),
});
export type ClusterTierChangedData = z.infer<typeof ClusterTierChanged.schema>;
