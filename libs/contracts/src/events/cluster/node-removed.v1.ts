import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, NodeSourceSchema } from './shared.js';

/**
 * NodeRemoved — the Node record is deleted (F-NO-6, F-CL-7).
 * Emitter: cluster service, Node aggregate. Script nodes: record only (the machine is left as is).
 * Provider nodes: `releaseMachine` names the machine the provider must release.
 * Invariants: the node's credential `revokedCredentialSerial` is no longer valid; the name is free
 * to join again afterwards.
 */
export const NodeRemoved = defineEvent({
  type: 'NodeRemoved',
  version: 1,
  subject: 'edgeplane.cluster.node.removed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    source: NodeSourceSchema,
    reason: z.enum(['operator', 'cluster-deleted']),
    releaseMachine: z.object({ provider: z.string(), machineId: z.string() }).nullable(),
    revokedCredentialSerial: z.string().nullable(),
    removedAt: Instant,
  }),
});
export type NodeRemovedData = z.infer<typeof NodeRemoved.schema>;
