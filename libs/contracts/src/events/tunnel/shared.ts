import { z } from 'zod';

/** ISO-8601 instant with offset, as produced by `Date.prototype.toISOString()`. */
export const TunnelInstant = z.iso.datetime({ offset: true });

/** Why a node's control stream ended (NodeDisconnected.reason). */
export const DisconnectReasonSchema = z.enum([
  /** the agent closed the stream or its connection dropped */
  'agent-gone',
  /** the same node opened a newer stream (on this or another replica) */
  'superseded',
  /** the node was removed, its cluster deleted or its credential replaced */
  'revoked',
  /** the replica holding the stream shut down */
  'gateway-shutdown',
  /** the replica that held the stream died; found at its next start */
  'gateway-restart',
]);
export type DisconnectReason = z.infer<typeof DisconnectReasonSchema>;
