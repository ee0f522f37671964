import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import type { InstallScriptRefData, JoinTokenCreatedData } from './join-token-created.v2.js';
import { Instant } from './shared.js';

/**
 * JoinTokenCreated — an operator asked for a join command (F-NO-1).
 * Emitter: cluster service, JoinToken aggregate (stream `join-token-<tokenId>`).
 * Invariants: 60 s ≤ ttlSeconds ≤ 86 400 s and expiresAt = createdAt + ttlSeconds; reusable by several
 * nodes until expiry or revocation; only the SHA-256 of the token secret is recorded (the secret is
 * shown once to the operator inside the join command); the cluster had at least one access mode on.
 * Superseded by v2 (no longer appended): v1 carried the pre/post-install scripts' text, which is
 * published on the bus. Read as v2 through `upcast` (SHA-256 and size of the text).
 */
export const JoinTokenCreatedV1 = defineEvent({
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
  upcast: (data): JoinTokenCreatedData => ({
    ...data,
    preInstallScript: scriptRef(data.preInstallScript),
    postInstallScript: scriptRef(data.postInstallScript),
  }),
});
export type JoinTokenCreatedV1Data = z.infer<typeof JoinTokenCreatedV1.schema>;

function scriptRef(text: string | null): InstallScriptRefData | null {
  if (text === null || text === '') return null;
  return {
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    bytes: Buffer.byteLength(text, 'utf8'),
  };
}
