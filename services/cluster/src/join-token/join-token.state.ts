import {
  JoinTokenCreated,
  JoinTokenRedeemed,
  JoinTokenRevoked,
  type EventOf,
  type InstallScriptRefData,
} from '@edgeplane/contracts';

/** The catalogue events of the JoinToken aggregate (its projection reads the same list). */
export const JOIN_TOKEN_EVENTS = [JoinTokenCreated, JoinTokenRevoked, JoinTokenRedeemed] as const;

export type JoinTokenEvent = EventOf<(typeof JOIN_TOKEN_EVENTS)[number]>;

export interface IssuedJoinToken {
  status: 'issued' | 'revoked';
  tokenId: string;
  clusterId: string;
  secretHash: string;
  ttlSeconds: number;
  expiresAt: string;
  containerDir: string;
  /** SHA-256 and size of the script (its text is sealed in `join_token_scripts`, never in an event) */
  preInstallScript: InstallScriptRefData | null;
  postInstallScript: InstallScriptRefData | null;
  createdAt: string;
  revokedAt: string | null;
  redeemedBy: string[];
}

export type JoinTokenState = { status: 'absent' } | IssuedJoinToken;

export const initialJoinTokenState: JoinTokenState = { status: 'absent' };

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
