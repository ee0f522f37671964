import type { EventOf, NodeConnected, NodeDisconnected } from '@edgeplane/contracts';

/** A node's control-stream session as its event stream records it. */
export type ConnectionState =
  | { status: 'disconnected' }
  | { status: 'connected'; sessionId: string; replica: string; since: string };

export type ConnectionEvent = EventOf<typeof NodeConnected> | EventOf<typeof NodeDisconnected>;

export const initialConnectionState: ConnectionState = { status: 'disconnected' };

export function evolveConnection(_state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'NodeConnected':
      return {
        status: 'connected',
        sessionId: event.data.sessionId,
        replica: event.data.replica,
        since: event.data.connectedAt,
      };
    case 'NodeDisconnected':
      return { status: 'disconnected' };
  }
}

export function connectionStreamId(clusterId: string, nodeName: string): string {
  return `tunnel-node-${clusterId}-${nodeName}`;
}
