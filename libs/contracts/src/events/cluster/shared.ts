import { z } from 'zod';

/**
 * Schema pieces shared by the cluster service's catalogue entries. Not events themselves: each
 * event keeps its own file and version; these only keep the shapes of one concept identical.
 */

/** ISO-8601 instant with offset, as produced by `Date.prototype.toISOString()`. */
export const Instant = z.iso.datetime({ offset: true });

/** CIDR in canonical form (network address + prefix), already validated by the decider. */
export const CidrText = z.string().min(3);

export const KubeProxyModeSchema = z.enum(['iptables', 'ipvs']);
export const RuntimeSchema = z.enum(['docker', 'containerd']);
export const ArchSchema = z.enum(['x86_64', 'arm64', 'arm']);

/** APIServer access as a whole: public (internet) and private (VPC subnet) are independent. */
export const AccessSchema = z.object({
  publicAccess: z.boolean(),
  privateAccess: z.object({ enabled: z.boolean(), subnetId: z.string().nullable() }),
});

export const TaintSchema = z.object({
  key: z.string().min(1),
  value: z.string(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

export const LabelMapSchema = z.record(z.string(), z.string());

/** How a node came to the cluster: by the join script, or provisioned through a machine provider. */
export const NodeSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('script') }),
  z.object({ kind: z.literal('provider'), provider: z.string().min(1), machineId: z.string().min(1) }),
]);

export const NodeInventorySchema = z.object({
  arch: ArchSchema,
  os: z.string().min(1),
  interface: z.string().min(1),
  ips: z.array(z.string()).min(1),
  gpuModel: z.string().nullable(),
});

/**
 * Who holds a cordon on a node. A node is unschedulable while any holder remains; each holder
 * lifts only its own cordon (an operator uncordon never lifts the tier-capacity cordon).
 */
export const CordonHolderSchema = z.enum(['operator', 'tier-capacity']);

export const UsageSchema = z.object({
  nodes: z.number().int().nonnegative(),
  pods: z.number().int().nonnegative(),
  configMaps: z.number().int().nonnegative(),
  crds: z.number().int().nonnegative(),
});

/** Public facts of an issued X.509 credential (never the private key, which stays off the bus). */
export const CredentialFactsSchema = z.object({
  serial: z.string().regex(/^[0-9a-f]+$/),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  notBefore: Instant,
  notAfter: Instant,
});
