import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { CredentialFactsSchema, Instant } from './shared.js';

/**
 * NodeCredentialIssued — the node's client certificate (CN `system:node:<name>`, O `system:nodes`),
 * signed by the cluster CA from a CSR the node generated, is its identity (F-CL-5).
 * Emitter: cluster service, Node aggregate. Invariants: the private key never left the node; one
 * active credential per node; `replacesSerial`, when set, is no longer valid.
 */
export const NodeCredentialIssued = defineEvent({
  type: 'NodeCredentialIssued',
  version: 1,
  subject: 'edgeplane.cluster.node.credential-issued',
  emitter: 'cluster',
  schema: CredentialFactsSchema.extend({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    replacesSerial: z.string().nullable(),
    issuedAt: Instant,
  }),
});
export type NodeCredentialIssuedData = z.infer<typeof NodeCredentialIssued.schema>;
