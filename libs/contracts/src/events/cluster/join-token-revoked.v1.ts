import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * JoinTokenRevoked — the token is refused from now on, before its expiry (F-NO-1).
 * Emitter: cluster service, JoinToken aggregate. Invariant: at most once per token; nodes that
 * already joined with it keep their own credentials.
 */
export const JoinTokenRevoked = defineEvent({
  type: 'JoinTokenRevoked',
  version: 1,
  subject: 'edgeplane.cluster.join-token.revoked',
  emitter: 'cluster',
  schema: z.object({ tokenId: z.string().min(1), clusterId: z.string().min(1), revokedAt: Instant }),
});
export type JoinTokenRevokedData = z.infer<typeof JoinTokenRevoked.schema>;
