import type { Decider } from '@edgeplane/es-kit';
import { decideConnection, type ConnectionCommand } from './connection.decide.js';
import {
  evolveConnection,
  initialConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection.state.js';

export type { ConnectionCommand, RecordConnected, RecordDisconnected } from './connection.decide.js';
export { connectionStreamId, type ConnectionEvent, type ConnectionState } from './connection.state.js';

export const connectionDecider: Decider<ConnectionState, ConnectionCommand, ConnectionEvent> = {
  decide: decideConnection,
  evolve: evolveConnection,
  initialState: initialConnectionState,
};
