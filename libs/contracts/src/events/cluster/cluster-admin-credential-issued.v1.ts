import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { CredentialFactsSchema, Instant } from './shared.js';

/**
 * ClusterAdminCredentialIssued — a new admin client certificate (the kubeconfig credential, F-CL-5)
 * is the cluster's only valid admin credential.
 * Emitter: cluster service, Cluster aggregate; at creation and on every rotation.
 * Invariants: exactly one admin credential is active; when `replaces` is set, that credential
 * stopped being valid at `issuedAt` (the service checks presented certificates by fingerprint).
 */
export const ClusterAdminCredentialIssued = defineEvent({
  type: 'ClusterAdminCredentialIssued',
  version: 1,
  subject: 'edgeplane.cluster.cluster.admin-credential-issued',
  emitter: 'cluster',
  schema: CredentialFactsSchema.extend({
    clusterId: z.string().min(1),
    replaces: z.object({ serial: z.string(), fingerprint: z.string() }).nullable(),
    issuedAt: Instant,
  }),
});
export type ClusterAdminCredentialIssuedData = z.infer<typeof ClusterAdminCredentialIssued.schema>;
