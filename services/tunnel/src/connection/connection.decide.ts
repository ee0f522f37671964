import type { DisconnectReason } from '@edgeplane/contracts';
import type { ConnectionEvent, ConnectionState } from './connection.state.js';

export interface RecordConnected {
  type: 'RecordConnected';
  clusterId: string;
  nodeName: string;
  sessionId: string;
  replica: string;
  agentVersion: string;
  ips: string[];
  probePort: number;
  at: string;
}

export interface RecordDisconnected {
  type: 'RecordDisconnected';
  clusterId: string;
  nodeName: string;
  sessionId: string;
  reason: DisconnectReason;
  at: string;
}

export type ConnectionCommand = RecordConnected | RecordDisconnected;

/**
 * One stream per node: a new session replaces the current one (named in `replacesSessionId`);
 * the same session again records nothing. A disconnect counts only for the current session — a
 * late close of a stream that was already superseded (on this or another replica) records
 * nothing, so the log never says "disconnected" about a node that is connected.
 */
export function decideConnection(command: ConnectionCommand, state: ConnectionState): ConnectionEvent[] {
  switch (command.type) {
    case 'RecordConnected': {
      if (state.status === 'connected' && state.sessionId === command.sessionId) return [];
      return [
        {
          type: 'NodeConnected',
          data: {
            clusterId: command.clusterId,
            nodeName: command.nodeName,
            sessionId: command.sessionId,
            replica: command.replica,
            agentVersion: command.agentVersion,
            ips: command.ips,
            probePort: command.probePort,
            replacesSessionId: state.status === 'connected' ? state.sessionId : null,
            connectedAt: command.at,
          },
        },
      ];
    }
    case 'RecordDisconnected': {
      if (state.status !== 'connected' || state.sessionId !== command.sessionId) return [];
      const seconds = Math.max(0, (Date.parse(command.at) - Date.parse(state.since)) / 1000);
      return [
        {
          type: 'NodeDisconnected',
          data: {
            clusterId: command.clusterId,
            nodeName: command.nodeName,
            sessionId: command.sessionId,
            replica: state.replica,
            reason: command.reason,
            connectedSeconds: Math.round(seconds * 1000) / 1000,
            disconnectedAt: command.at,
          },
        },
      ];
    }
  }
}
