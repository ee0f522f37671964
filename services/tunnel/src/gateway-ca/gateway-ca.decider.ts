import type { Decider } from '@edgeplane/es-kit';
import { decideGatewayCa, type GatewayCaCommand } from './gateway-ca.decide.js';
import {
  evolveGatewayCa,
  initialGatewayCaState,
  type GatewayCaEvent,
  type GatewayCaState,
} from './gateway-ca.state.js';

export type { GatewayCaCommand } from './gateway-ca.decide.js';
export type { GatewayCaEvent, GatewayCaState } from './gateway-ca.state.js';

/** The one stream of the platform's gateway CA. */
export const GATEWAY_CA_STREAM = 'gateway-ca';

export const gatewayCaDecider: Decider<GatewayCaState, GatewayCaCommand, GatewayCaEvent> = {
  decide: decideGatewayCa,
  evolve: evolveGatewayCa,
  initialState: initialGatewayCaState,
};
