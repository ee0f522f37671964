import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterUserCredentialsRevoked — restricted credentials stopped being valid at `revokedAt`
 * (`edgeplane cluster revoke-credential NAME --serial S | --user U`).
 * Emitter: cluster service, Cluster aggregate.
 * Invariants: each listed credential was active before; VerifyCredential refuses it from now on
 * (the kube API within its cache window, bearer tokens made from it too).
 */
export const ClusterUserCredentialsRevoked = defineEvent({
  type: 'ClusterUserCredentialsRevoked',
  version: 1,
  subject: 'edgeplane.cluster.cluster.user-credentials-revoked',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    credentials: z
      .array(z.object({ serial: z.string().min(1), fingerprint: z.string().min(1), user: z.string().min(1) }))
      .min(1)
      .max(256),
    revokedAt: Instant,
  }),
});
export type ClusterUserCredentialsRevokedData = z.infer<typeof ClusterUserCredentialsRevoked.schema>;
