import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterUsageRecorded — the cluster's counted pods, ConfigMaps and CRDs changed (F-CL-3).
 * Emitter: cluster service, Cluster aggregate, from usage reports. With auto-upgrade on and a cap
 * exceeded it is followed by ClusterTierChanged{cause: auto-upgrade}.
 * Invariant: differs from the previously recorded usage.
 */
export const ClusterUsageRecorded = defineEvent({
  type: 'ClusterUsageRecorded',
  version: 1,
  subject: 'edgeplane.cluster.cluster.usage-recorded',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    pods: z.number().int().nonnegative(),
    configMaps: z.number().int().nonnegative(),
    crds: z.number().int().nonnegative(),
    recordedAt: Instant,
  }),
});
export type ClusterUsageRecordedData = z.infer<typeof ClusterUsageRecorded.schema>;
