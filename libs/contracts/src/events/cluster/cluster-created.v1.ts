import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { AccessSchema, CidrText, Instant, KubeProxyModeSchema, RuntimeSchema } from './shared.js';

/**
 * ClusterCreated — an edge cluster exists (F-CL-1) with its cluster CA.
 * Emitter: cluster service, Cluster aggregate (stream `cluster-<clusterId>`), first event of the stream.
 * Invariants: Pod CIDR, Service CIDR, VPC CIDR, the other clusters' CIDRs of the same VPC and the
 * declared edge-node CIDRs did not overlap at creation (F-CL-2); `podCidr`/`serviceCidr` never change
 * afterwards; the Pod CIDR holds the tier's pod quota; version/runtime/region/tier come from the
 * reference tables. Both access modes start off. Carries the CA certificate only, never its key.
 */
export const ClusterCreated = defineEvent({
  type: 'ClusterCreated',
  version: 1,
  subject: 'edgeplane.cluster.cluster.created',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1).max(50),
    description: z.string(),
    kubernetesVersion: z.string(),
    runtime: RuntimeSchema,
    region: z.string(),
    kubeProxyMode: KubeProxyModeSchema,
    vpcId: z.string().nullable(),
    vpcCidr: CidrText,
    podCidr: CidrText,
    serviceCidr: CidrText,
    nodeCidrs: z.array(CidrText),
    tier: z.string(),
    autoUpgrade: z.boolean(),
    access: AccessSchema,
    remoteLogin: z.boolean(),
    ca: z.object({
      certPem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      notAfter: Instant,
    }),
    createdAt: Instant,
  }),
});
export type ClusterCreatedData = z.infer<typeof ClusterCreated.schema>;
