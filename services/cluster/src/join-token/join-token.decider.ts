import {
  AlreadyExistsError,
  IllegalStateError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type Decider,
  type FieldViolation,
} from '@edgeplane/es-kit';
import type { EventOf, JoinTokenCreated, JoinTokenRedeemed, JoinTokenRevoked } from '@edgeplane/contracts';
import { hasJoinAccess, type ClusterJoinContext } from '../cluster/cluster.decider.js';
import { nodeNameProblems } from '@edgeplane/k8s';
import {
  defaultContainerDir,
  defaultReferenceData,
  type ReferenceData,
} from '../reference-data/reference-data.js';
import { secretHashesEqual } from './join-token.secret.js';

export type JoinTokenEvent =
  | EventOf<typeof JoinTokenCreated>
  | EventOf<typeof JoinTokenRevoked>
  | EventOf<typeof JoinTokenRedeemed>;

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 86_400;
export const DEFAULT_TTL_SECONDS = MAX_TTL_SECONDS;
export const MAX_SCRIPT_BYTES = 64 * 1024;
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

export type JoinTokenCommand = CreateJoinToken | RevokeJoinToken | RedeemJoinToken;

export interface IssuedJoinToken {
  status: 'issued' | 'revoked';
  tokenId: string;
  clusterId: string;
  secretHash: string;
  ttlSeconds: number;
  expiresAt: string;
  containerDir: string;
  preInstallScript: string | null;
  postInstallScript: string | null;
  createdAt: string;
  revokedAt: string | null;
  redeemedBy: string[];
}

export type JoinTokenState = { status: 'absent' } | IssuedJoinToken;

export const initialJoinTokenState: JoinTokenState = { status: 'absent' };

export function makeJoinTokenDecider(
  ref: ReferenceData = defaultReferenceData,
): Decider<JoinTokenState, JoinTokenCommand, JoinTokenEvent> {
  function decide(command: JoinTokenCommand, state: JoinTokenState): JoinTokenEvent[] {
    switch (command.type) {
      case 'CreateJoinToken':
        return create(command, state);
      case 'RevokeJoinToken':
        if (state.status === 'absent') throw new NotFoundError('join token', command.tokenId);
        if (state.status === 'revoked') return [];
        return [
          {
            type: 'JoinTokenRevoked',
            data: { tokenId: state.tokenId, clusterId: state.clusterId, revokedAt: command.now },
          },
        ];
      case 'RedeemJoinToken':
        return redeem(command, state);
    }
  }

  function create(c: CreateJoinToken, state: JoinTokenState): JoinTokenEvent[] {
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
          preInstallScript: pre,
          postInstallScript: post,
          createdAt: c.now,
        },
      },
    ];
  }

  return { decide, evolve: evolveJoinToken, initialState: initialJoinTokenState };
}

function redeem(c: RedeemJoinToken, state: JoinTokenState): JoinTokenEvent[] {
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

export function evolveJoinToken(state: JoinTokenState, event: JoinTokenEvent): JoinTokenState {
  switch (event.type) {
    case 'JoinTokenCreated':
      return { status: 'issued', ...event.data, revokedAt: null, redeemedBy: [] };
    case 'JoinTokenRevoked':
      return state.status === 'absent'
        ? state
        : { ...state, status: 'revoked', revokedAt: event.data.revokedAt };
    case 'JoinTokenRedeemed':
      return state.status === 'absent'
        ? state
        : { ...state, redeemedBy: [...state.redeemedBy, event.data.nodeName] };
  }
}

export const joinTokenDecider = makeJoinTokenDecider();

export function joinTokenStreamId(tokenId: string): string {
  return `join-token-${tokenId}`;
}

/** `expired` is a function of time, so it is computed against the caller's `now`, never stored. */
export function joinTokenStatus(state: IssuedJoinToken, now: string): 'active' | 'expired' | 'revoked' {
  if (state.status === 'revoked') return 'revoked';
  return Date.parse(now) >= Date.parse(state.expiresAt) ? 'expired' : 'active';
}

function requireJoinableCluster(cluster: ClusterJoinContext, clusterId: string): void {
  if (cluster.clusterId !== clusterId)
    throw new Error(`join context is for cluster ${cluster.clusterId}, not ${clusterId}`);
  if (!cluster.exists) throw new NotFoundError('cluster', clusterId);
  if (!hasJoinAccess(cluster.access)) {
    throw new IllegalStateError(
      `cluster ${cluster.name} has neither public nor private APIServer access on; enable one before adding nodes`,
    );
  }
}

function script(field: string, text: string | null | undefined, violations: FieldViolation[]): string | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCRIPT_BYTES)
    violations.push({
      field,
      description: `script is ${bytes} bytes; at most ${MAX_SCRIPT_BYTES} are accepted`,
    });
  if (text.includes('\u0000')) violations.push({ field, description: 'script must be text (contains NUL)' });
  return text;
}
