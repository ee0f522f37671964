import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { TunnelInstant } from './shared.js';

/**
 * NodeConnected — a node's agent opened its control stream (F-TU-1). Emitter: tunnel service,
 * node-connection aggregate (stream `tunnel-node-<clusterId>-<nodeName>`).
 * Invariants: the node is the one its client certificate names (never a value the agent sent);
 * the certificate was the node's active credential; `sessionId` is unique per stream; when the
 * node already had a stream, `replacesSessionId` names it and that stream is closed
 * (one stream per node); `probePort` is where its peers probe it.
 */
export const NodeConnected = defineEvent({
  type: 'NodeConnected',
  version: 1,
  subject: 'edgeplane.tunnel.node.connected',
  emitter: 'tunnel',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1).max(253),
    sessionId: z.string().min(1),
    replica: z.string().min(1),
    agentVersion: z.string().max(64),
    ips: z.array(z.string().max(45)).max(16),
    probePort: z.number().int().min(1).max(65535),
    replacesSessionId: z.string().nullable(),
    connectedAt: TunnelInstant,
  }),
});
export type NodeConnectedData = z.infer<typeof NodeConnected.schema>;
