import { z } from 'zod';
import { defineEvent } from '../../define-event.js';

/**
 * KinsPublicAccessEnabled — the K3s unit can be reached from the internet through the cloud
 * proxy, guarded by the operator's proxy password (or the password was changed).
 * Emitter: nodepool (NodeUnit aggregate). Invariants: `passwordHash` is a bcrypt hash — the
 * plaintext never enters an event; the unit is Promoting or Independent.
 */
export const KinsPublicAccessEnabled = defineEvent({
  type: 'KinsPublicAccessEnabled',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-public-access-enabled',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    passwordHash: z.string().regex(/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/),
    at: z.string(),
  }),
});
export type KinsPublicAccessEnabledData = z.infer<typeof KinsPublicAccessEnabled.schema>;
