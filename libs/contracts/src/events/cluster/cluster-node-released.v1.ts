import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterNodeReleased — a removed node no longer counts against the cluster's tier.
 * Emitter: cluster service, Cluster aggregate, after NodeRemoved.
 * Invariants: the node had been admitted; `nodeCount` excludes it. Never lowers the tier.
 */
export const ClusterNodeReleased = defineEvent({
  type: 'ClusterNodeReleased',
  version: 1,
  subject: 'edgeplane.cluster.cluster.node-released',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    nodeCount: z.number().int().nonnegative(),
    releasedAt: Instant,
  }),
});
export type ClusterNodeReleasedData = z.infer<typeof ClusterNodeReleased.schema>;
