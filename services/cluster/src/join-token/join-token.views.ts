import type { IssuedJoinToken } from './join-token.state.js';

/** A join token as read paths show it: no secret hash, no script text — only whether there is one. */
export interface JoinTokenSummary {
  tokenId: string;
  clusterId: string;
  status: IssuedJoinToken['status'];
  ttlSeconds: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  containerDir: string;
  hasPreInstallScript: boolean;
  hasPostInstallScript: boolean;
  redeemedBy: string[];
}

export type EffectiveTokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenView extends JoinTokenSummary {
  clusterName: string;
  /** active | expired | revoked, against the service clock */
  effectiveStatus: EffectiveTokenStatus;
}

/** `expired` is a function of time, so it is computed against the caller's `now`, never stored. */
export function joinTokenStatus(
  token: Pick<IssuedJoinToken, 'status' | 'expiresAt'>,
  now: string,
): EffectiveTokenStatus {
  if (token.status === 'revoked') return 'revoked';
  return Date.parse(now) >= Date.parse(token.expiresAt) ? 'expired' : 'active';
}

export function tokenView(token: JoinTokenSummary, clusterName: string, now: string): TokenView {
  return { ...token, clusterName, effectiveStatus: joinTokenStatus(token, now) };
}
