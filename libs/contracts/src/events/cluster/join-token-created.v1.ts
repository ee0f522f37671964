import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * JoinTokenCreated — an operator asked for a join command (F-NO-1).
 * Emitter: cluster service, JoinToken aggregate (stream `join-token-<tokenId>`).
 * Invariants: 60 s ≤ ttlSeconds ≤ 86 400 s and expiresAt = createdAt + ttlSeconds; reusable by several
 * nodes until expiry or revocation; only the SHA-256 of the token secret is recorded (the secret is
 * shown once to the operator inside the join command); the cluster had at least one access mode on.
 */
export const JoinTokenCreated = defineEvent({
  type: 'JoinTokenCreated',
  version: 1,
  subject: 'edgeplane.cluster.join-token.created',
  emitter: 'cluster',
  schema: z.object({
    tokenId: z.string().min(1),
    clusterId: z.string().min(1),
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    ttlSeconds: z.number().int().min(60).max(86_400),
    expiresAt: Instant,
    containerDir: z.string().startsWith('/'),
    preInstallScript: z.string().nullable(),
    postInstallScript: z.string().nullable(),
    createdAt: Instant,
  }),
});
export type JoinTokenCreatedData = z.infer<typeof JoinTokenCreated.schema>;
