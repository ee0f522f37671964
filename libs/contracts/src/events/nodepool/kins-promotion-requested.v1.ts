import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { KinsModeSchema, KinsNodeSchema, PortRangeSchema } from './common.js';

/**
 * KinsPromotionRequested — the operator promoted a NodeUnit to an independent K3s cluster
 * (SPEC F-NP-4); this is also the command to the unit's agents to install it. Phase → Promoting.
 * Emitter: nodepool (NodeUnit aggregate). Consumers: tunnel/agents (install), read models.
 * Invariants: the host cluster runs Kubernetes 1.22 on containerd; `nodes` are the unit's members,
 * exactly 1 server (`single`) or 3 servers (`ha`, only with ≥ 3 members), the rest agents;
 * `serviceCidr` and `nodePortRange` overlap no other K3s unit of the cluster, nor the host
 * cluster's Pod/Service CIDR or NodePort range; `generation` increases with every promotion of the
 * unit and tags every later Kins event and agent report.
 */
export const KinsPromotionRequested = defineEvent({
  type: 'KinsPromotionRequested',
  version: 1,
  subject: 'edgeplane.nodepool.node-unit.kins-promotion-requested',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    unit: z.string(),
    generation: z.number().int().positive(),
    mode: KinsModeSchema,
    kubernetesVersion: z.string(),
    nodes: z.array(KinsNodeSchema),
    serviceCidr: z.string(),
    clusterDns: z.string(),
    nodePortRange: PortRangeSchema,
    kubeconfigs: z.object({ internal: z.string(), public: z.string() }),
    at: z.string(),
  }),
});
export type KinsPromotionRequestedData = z.infer<typeof KinsPromotionRequested.schema>;
