import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/** What an event says of an install script: its SHA-256 and size, never its text. */
export const InstallScriptRef = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(1).max(65_536),
});
export type InstallScriptRefData = z.infer<typeof InstallScriptRef>;

/**
 * JoinTokenCreated — an operator asked for a join command (F-NO-1).
 * Emitter: cluster service, JoinToken aggregate (stream `join-token-<tokenId>`).
 * Invariants: 60 s ≤ ttlSeconds ≤ 86 400 s and expiresAt = createdAt + ttlSeconds; reusable by several
 * nodes until expiry or revocation; only the SHA-256 of the token secret is recorded (the secret is
 * shown once to the operator inside the join command); the cluster had at least one access mode on.
 * v2: the pre/post-install scripts are referenced by SHA-256 and size only — their text may hold
 * secrets, so it stays in the cluster service (sealed) and goes only to a node redeeming the token.
 * v1 events are upcast (the text hashed, then dropped).
 */
export const JoinTokenCreated = defineEvent({
  type: 'JoinTokenCreated',
  version: 2,
  subject: 'edgeplane.cluster.join-token.created',
  emitter: 'cluster',
  schema: z.object({
    tokenId: z.string().min(1),
    clusterId: z.string().min(1),
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    ttlSeconds: z.number().int().min(60).max(86_400),
    expiresAt: Instant,
    containerDir: z.string().startsWith('/'),
    preInstallScript: InstallScriptRef.nullable(),
    postInstallScript: InstallScriptRef.nullable(),
    createdAt: Instant,
  }),
});
export type JoinTokenCreatedData = z.infer<typeof JoinTokenCreated.schema>;
