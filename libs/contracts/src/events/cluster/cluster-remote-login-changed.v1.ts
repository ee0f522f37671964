import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterRemoteLoginChanged — the cluster-wide remote login switch changed (F-CL-6, default off).
 * Emitter: cluster service, Cluster aggregate. The tunnel service opens shell sessions only while on.
 * Invariant: `enabled` differs from the previous value.
 */
export const ClusterRemoteLoginChanged = defineEvent({
  type: 'ClusterRemoteLoginChanged',
  version: 1,
  subject: 'edgeplane.cluster.cluster.remote-login-changed',
  emitter: 'cluster',
  schema: z.object({ clusterId: z.string().min(1), enabled: z.boolean(), changedAt: Instant }),
});
export type ClusterRemoteLoginChangedData = z.infer<typeof ClusterRemoteLoginChanged.schema>;
