import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { DisconnectReasonSchema, TunnelInstant } from './shared.js';

/**
 * NodeDisconnected — the node's control stream `sessionId` ended (F-TU-1). Emitter: tunnel service,
 * node-connection aggregate (stream `tunnel-node-<clusterId>-<nodeName>`).
 * Invariants: follows the NodeConnected of the same `sessionId` and only while that session is
 * still the node's current one (a late close of a superseded stream records nothing);
 * `connectedSeconds` is how long the session lasted.
 */
export const NodeDisconnected = defineEvent({
  type: 'NodeDisconnected',
  version: 1,
  subject: 'edgeplane.tunnel.node.disconnected',
  emitter: 'tunnel',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1).max(253),
    sessionId: z.string().min(1),
    replica: z.string().min(1),
    reason: DisconnectReasonSchema,
    connectedSeconds: z.number().nonnegative(),
    disconnectedAt: TunnelInstant,
  }),
});
export type NodeDisconnectedData = z.infer<typeof NodeDisconnected.schema>;
