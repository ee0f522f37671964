import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * KinsPublicAccessDisabled — public (cloud proxy) access to the K3s unit was turned off and its
 * password forgotten; the public kubeconfig stops working. Emitter: nodepool (NodeUnit
 * aggregate), also implied by demotion. Invariant: public access was on.
 */
export const KinsPublicAccessDisabled = defineEvent({
  type: 'KinsPublicAccessDisabled',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-public-access-disabled',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    at: z.string(),
  }),
});
export type KinsPublicAccessDisabledData = z.infer<typeof KinsPublicAccessDisabled.schema>;
