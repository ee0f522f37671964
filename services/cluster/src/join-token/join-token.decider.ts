import type { Decider } from '@edgeplane/es-kit';
import { defaultReferenceData, type ReferenceData } from '../reference-data/reference-data.js';
import {
  createJoinToken,
  redeemJoinToken,
  revokeJoinToken,
  type CreateJoinToken,
  type RedeemJoinToken,
  type RevokeJoinToken,
} from './join-token.decide.js';
import {
  evolveJoinToken,
  initialJoinTokenState,
  type JoinTokenEvent,
  type JoinTokenState,
} from './join-token.state.js';

/** The JoinToken aggregate (`join-token-<tokenId>`, F-NO-1): its commands and decider. */

export type JoinTokenCommand = CreateJoinToken | RevokeJoinToken | RedeemJoinToken;

function makeJoinTokenDecider(
  ref: ReferenceData = defaultReferenceData,
): Decider<JoinTokenState, JoinTokenCommand, JoinTokenEvent> {
  function decide(command: JoinTokenCommand, state: JoinTokenState): JoinTokenEvent[] {
    switch (command.type) {
      case 'CreateJoinToken':
        return createJoinToken(ref, command, state);
      case 'RevokeJoinToken':
        return revokeJoinToken(command, state);
      case 'RedeemJoinToken':
        return redeemJoinToken(command, state);
    }
  }
  return { decide, evolve: evolveJoinToken, initialState: initialJoinTokenState };
}

export const joinTokenDecider = makeJoinTokenDecider();

export function joinTokenStreamId(tokenId: string): string {
  return `join-token-${tokenId}`;
}
