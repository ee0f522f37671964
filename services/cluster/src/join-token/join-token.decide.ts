import { createHash } from 'node:crypto';
import type { InstallScriptRefData } from '@edgeplane/contracts';
import {
  AlreadyExistsError,
  IllegalStateError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type FieldViolation,
} from '@edgeplane/es-kit';
import { nodeNameProblems } from '@edgeplane/k8s';
import { hasJoinAccess, noJoinAccess } from '../cluster/cluster.state.js';
import type { ClusterJoinContext } from '../cluster/cluster.views.js';
import { defaultContainerDir, type ReferenceData } from '../reference-data/reference-data.js';
import { secretHashesEqual } from './join-token.secret.js';
import type { JoinTokenEvent, JoinTokenState } from './join-token.state.js';

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 86_400;
const DEFAULT_TTL_SECONDS = MAX_TTL_SECONDS;
const MAX_SCRIPT_BYTES = 64 * 1024;
// The directory ends up inside a shell command, so only plain path characters are accepted.
const CONTAINER_DIR = /^\/[A-Za-z0-9._\-/]*$/;

export interface CreateJoinToken {
  type: 'CreateJoinToken';
  tokenId: string;
  clusterId: string;
  /** SHA-256 (hex) of the secret the handler generated; the secret itself is only shown to the operator. */
  secretHash: string;
  /** 60–86 400; default 24 h. */
  ttlSeconds?: number;
  containerDir?: string;
  preInstallScript?: string | null;
  postInstallScript?: string | null;
  cluster: ClusterJoinContext;
  now: string;
}

export interface RevokeJoinToken {
  type: 'RevokeJoinToken';
  tokenId: string;
  now: string;
}

export interface RedeemJoinToken {
  type: 'RedeemJoinToken';
  tokenId: string;
  /** SHA-256 (hex) of the secret the node presented. */
  presentedSecretHash: string;
  nodeName: string;
  cluster: ClusterJoinContext;
  now: string;
}

export function createJoinToken(
  ref: ReferenceData,
  c: CreateJoinToken,
  state: JoinTokenState,
): JoinTokenEvent[] {
  if (state.status !== 'absent') {
    if (state.secretHash === c.secretHash && state.clusterId === c.clusterId) return [];
    throw new AlreadyExistsError('join token', c.tokenId);
  }
  requireJoinableCluster(c.cluster, c.clusterId);
  const violations: FieldViolation[] = [];
  const ttl = c.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
    violations.push({
      field: 'ttlSeconds',
      description: `expiry must be between 1 minute and 24 hours (60–86400 s), got ${ttl} s`,
    });
  }
  const containerDir = (c.containerDir ?? '').trim() || defaultContainerDir(ref, c.cluster.runtime);
  if (
    !CONTAINER_DIR.test(containerDir) ||
    containerDir.length > 255 ||
    containerDir.split('/').includes('..')
  ) {
    violations.push({
      field: 'containerDir',
      description: `container directory must be an absolute path of letters, digits, '.', '_', '-' and '/' (no ".."), got "${containerDir}"`,
    });
  }
  const pre = script('preInstallScript', c.preInstallScript, violations);
  const post = script('postInstallScript', c.postInstallScript, violations);
  if (!/^[0-9a-f]{64}$/.test(c.secretHash))
    violations.push({ field: 'secretHash', description: 'must be a SHA-256 hex digest' });
  if (violations.length > 0) throw new ValidationError(violations);
  return [
    {
      type: 'JoinTokenCreated',
      data: {
        tokenId: c.tokenId,
        clusterId: c.clusterId,
        secretHash: c.secretHash,
        ttlSeconds: ttl,
        expiresAt: new Date(Date.parse(c.now) + ttl * 1000).toISOString(),
        containerDir,
        preInstallScript: scriptRef(pre),
        postInstallScript: scriptRef(post),
        createdAt: c.now,
      },
    },
  ];
}

export function revokeJoinToken(c: RevokeJoinToken, state: JoinTokenState): JoinTokenEvent[] {
  if (state.status === 'absent') throw new NotFoundError('join token', c.tokenId);
  if (state.status === 'revoked') return [];
  return [
    {
      type: 'JoinTokenRevoked',
      data: { tokenId: state.tokenId, clusterId: state.clusterId, revokedAt: c.now },
    },
  ];
}

/**
 * The token's part of a join: the secret, revocation, expiry, the cluster still joinable, the node
 * name — in that order. A name the token admitted before is no new redemption.
 */
export function redeemJoinToken(c: RedeemJoinToken, state: JoinTokenState): JoinTokenEvent[] {
  // Unknown token and wrong secret look the same to the caller: nothing to learn by probing ids.
  if (state.status === 'absent' || !secretHashesEqual(state.secretHash, c.presentedSecretHash)) {
    throw new UnauthenticatedError('the join token is not valid');
  }
  if (state.status === 'revoked') {
    throw new UnauthenticatedError(
      `join token ${state.tokenId} was revoked at ${state.revokedAt}; ask for a new join command`,
    );
  }
  if (Date.parse(c.now) >= Date.parse(state.expiresAt)) {
    throw new UnauthenticatedError(
      `join token ${state.tokenId} expired at ${state.expiresAt}; ask for a new join command`,
    );
  }
  requireJoinableCluster(c.cluster, state.clusterId);
  const problems = nodeNameProblems(c.nodeName);
  if (problems.length > 0)
    throw new ValidationError(problems.map((description) => ({ field: 'nodeName', description })));
  if (state.redeemedBy.includes(c.nodeName)) return [];
  return [
    {
      type: 'JoinTokenRedeemed',
      data: { tokenId: state.tokenId, clusterId: state.clusterId, nodeName: c.nodeName, redeemedAt: c.now },
    },
  ];
}

function requireJoinableCluster(cluster: ClusterJoinContext, clusterId: string): void {
  if (cluster.clusterId !== clusterId)
    throw new Error(`join context is for cluster ${cluster.clusterId}, not ${clusterId}`);
  if (!cluster.exists) throw new NotFoundError('cluster', clusterId);
  if (!hasJoinAccess(cluster.access)) throw new IllegalStateError(noJoinAccess(cluster.name));
}

/** The script as events know it: SHA-256 and size (the text may hold secrets; the handler seals it apart). */
export function scriptRef(text: string | null): InstallScriptRefData | null {
  if (text === null) return null;
  return {
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    bytes: Buffer.byteLength(text, 'utf8'),
  };
}

/** The script text a CreateJoinToken keeps (null: none), as the decision judges it. */
export function installScriptText(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}

function script(field: string, text: string | null | undefined, violations: FieldViolation[]): string | null {
  if (installScriptText(text) === null || !text) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCRIPT_BYTES)
    violations.push({
      field,
      description: `script is ${bytes} bytes; at most ${MAX_SCRIPT_BYTES} are accepted`,
    });
  if (text.includes('\u0000')) violations.push({ field, description: 'script must be text (contains NUL)' });
  return text;
}
