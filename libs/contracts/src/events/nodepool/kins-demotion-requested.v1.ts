import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { KinsNodeSchema } from './common.js';

/**
 * KinsDemotionRequested — the operator demoted a K3s unit back to a normal unit; command to the
 * agents of `nodes` to uninstall K3s. Phase → Demoting. Emitter: nodepool (NodeUnit aggregate).
 * Invariants: the unit was Promoting, Independent or Failed; public access is off from here on.
 */
export const KinsDemotionRequested = defineEvent({
  type: 'KinsDemotionRequested',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-demotion-requested',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    nodes: z.array(KinsNodeSchema),
    at: z.string(),
  }),
});
export type KinsDemotionRequestedData = z.infer<typeof KinsDemotionRequested.schema>;
