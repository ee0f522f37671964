import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { CredentialFactsSchema, Instant } from './shared.js';

/** The roles a restricted credential can carry, by their Kubernetes names. */
export const CredentialRoleSchema = z.enum(['view', 'edit', 'cluster-admin']);

/**
 * ClusterUserCredentialIssued — a restricted credential (a kubeconfig client certificate for one
 * user with one role, signed by the cluster CA) was issued and is active from `issuedAt`.
 * Emitter: cluster service, Cluster aggregate; `edgeplane cluster kubeconfig NAME --user U --role R`.
 * Invariants: the private key went to the caller only, it is neither here nor stored anywhere;
 * `groups` are the certificate's O (`edgeplane:view`, `edgeplane:edit` or `system:masters`);
 * at most 256 credentials are active per cluster (expired ones drop out when a new one is issued).
 */
export const ClusterUserCredentialIssued = defineEvent({
  type: 'ClusterUserCredentialIssued',
  version: 1,
  subject: 'edgeplane.cluster.cluster.user-credential-issued',
  emitter: 'cluster',
  schema: CredentialFactsSchema.extend({
    clusterId: z.string().min(1),
    user: z.string().min(1).max(64),
    role: CredentialRoleSchema,
    groups: z.array(z.string().min(1)).min(1).max(4),
    issuedAt: Instant,
  }),
});
export type ClusterUserCredentialIssuedData = z.infer<typeof ClusterUserCredentialIssued.schema>;
