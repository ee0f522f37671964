import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterAutoUpgradeChanged — tier auto-upgrade was switched on or off (F-CL-3).
 * Emitter: cluster service, Cluster aggregate. Invariant: `enabled` differs from the previous value.
 */
export const ClusterAutoUpgradeChanged = defineEvent({
  type: 'ClusterAutoUpgradeChanged',
  version: 1,
  subject: 'edgeplane.cluster.cluster.auto-upgrade-changed',
  emitter: 'cluster',
  schema: z.object({ clusterId: z.string().min(1), enabled: z.boolean(), changedAt: Instant }),
});
export type ClusterAutoUpgradeChangedData = z.infer<typeof ClusterAutoUpgradeChanged.schema>;
