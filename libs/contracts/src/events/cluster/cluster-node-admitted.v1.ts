import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterNodeAdmitted — the cluster counted a joining node against its tier (F-CL-3, F-NO-1).
 * Emitter: cluster service, Cluster aggregate, during join-token redemption.
 * Invariants: a node name is admitted once while present; `nodeCount` includes it; when
 * `overCapacity` the node joined beyond the node cap with auto-upgrade off (or no higher tier fits)
 * and its NodeJoined is followed by NodeCordoned{holder: tier-capacity}.
 */
export const ClusterNodeAdmitted = defineEvent({
  type: 'ClusterNodeAdmitted',
  version: 1,
  subject: 'edgeplane.cluster.cluster.node-admitted',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    nodeCount: z.number().int().positive(),
    tier: z.string(),
    overCapacity: z.boolean(),
    admittedAt: Instant,
  }),
});
export type ClusterNodeAdmittedData = z.infer<typeof ClusterNodeAdmitted.schema>;
