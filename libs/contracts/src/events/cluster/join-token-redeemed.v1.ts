import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * JoinTokenRedeemed — a node presented the token to join under `nodeName` (F-NO-1, F-NO-3).
 * Emitter: cluster service, JoinToken aggregate, in the same redemption as NodeJoined.
 * Invariants: redeemedAt < expiresAt, the token was not revoked, the secret matched, and the cluster
 * had at least one access mode on; a node name appears once per token.
 */
export const JoinTokenRedeemed = defineEvent({
  type: 'JoinTokenRedeemed',
  version: 1,
  subject: 'edgeplane.cluster.join-token.redeemed',
  emitter: 'cluster',
  schema: z.object({
    tokenId: z.string().min(1),
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    redeemedAt: Instant,
  }),
});
export type JoinTokenRedeemedData = z.infer<typeof JoinTokenRedeemed.schema>;
