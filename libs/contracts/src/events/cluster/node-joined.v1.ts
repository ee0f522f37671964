import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, LabelMapSchema, NodeInventorySchema, NodeSourceSchema } from './shared.js';

/**
 * NodeJoined — a node is registered in a cluster (F-NO-1, F-NO-3, F-NO-5, F-NO-7 inventory).
 * Emitter: cluster service, Node aggregate (stream `node-<clusterId>-<nodeName>`).
 * Invariants: `nodeName` is a DNS-1123 subdomain and not an IP address; unique among the cluster's
 * present nodes (a second join of a present name is refused, never replaces it); `systemLabels`
 * are the well-known labels owned by the cluster service (`kubernetes.io/hostname|arch|os`).
 */
export const NodeJoined = defineEvent({
  type: 'NodeJoined',
  version: 1,
  subject: 'edgeplane.cluster.node.joined',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1).max(253),
    source: NodeSourceSchema,
    tokenId: z.string().nullable(),
    inventory: NodeInventorySchema,
    systemLabels: LabelMapSchema,
    joinedAt: Instant,
  }),
});
export type NodeJoinedData = z.infer<typeof NodeJoined.schema>;
