import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { AccessSchema, Instant } from './shared.js';

/**
 * ClusterAccessChanged — APIServer public and/or private (VPC subnet) access was switched (F-CL-4).
 * Emitter: cluster service, Cluster aggregate.
 * Invariants: carries the whole access state after the change; private access on always names a
 * subnet. While both are off no join token can be created or redeemed.
 */
export const ClusterAccessChanged = defineEvent({
  type: 'ClusterAccessChanged',
  version: 1,
  subject: 'edgeplane.cluster.cluster.access-changed',
  emitter: 'cluster',
  schema: AccessSchema.extend({ clusterId: z.string().min(1), changedAt: Instant }),
});
export type ClusterAccessChangedData = z.infer<typeof ClusterAccessChanged.schema>;
