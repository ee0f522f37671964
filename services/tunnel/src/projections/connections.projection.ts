import { NodeConnected, NodeDisconnected } from '@edgeplane/contracts';
import { defineProjection, type InlineProjection, type StoredEventOf, type Trx } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { notifyDirectory } from '../read-model/directory.queries.js';

/**
 * proj_tunnel_connections: each node's current session (inline, in the append's transaction).
 * Also the node-connection handler's snapshot (stream_version), and the peers' probe addresses:
 * every replica's Directory is told at commit, and hears a change only if the probe port moved.
 */
const EVENTS = [NodeConnected, NodeDisconnected] as const;

export function connectionsProjection(schema: string): InlineProjection {
  const applyOne = async (trx: Trx, event: StoredEventOf<typeof EVENTS>) => {
    const q = inSchema(trx, schema);
    switch (event.type) {
      case 'NodeConnected': {
        const d = event.data;
        const row = {
          cluster_id: d.clusterId,
          node: d.nodeName,
          stream_version: event.streamVersion,
          connected: true,
          session_id: d.sessionId,
          replica: d.replica,
          agent_version: d.agentVersion,
          ips: d.ips,
          probe_port: d.probePort,
          since: new Date(d.connectedAt),
          last_position: event.globalPosition,
        };
        await q
          .insertInto('proj_tunnel_connections')
          .values(row)
          .onConflict((oc) =>
            oc
              .columns(['cluster_id', 'node'])
              .doUpdateSet(row)
              .where('proj_tunnel_connections.last_position', '<', event.globalPosition),
          )
          .execute();
        break;
      }
      case 'NodeDisconnected': {
        const d = event.data;
        await q
          .updateTable('proj_tunnel_connections')
          .set({
            connected: false,
            stream_version: event.streamVersion,
            since: new Date(d.disconnectedAt),
            last_position: event.globalPosition,
          })
          .where('cluster_id', '=', d.clusterId)
          .where('node', '=', d.nodeName)
          .where('last_position', '<', event.globalPosition)
          .execute();
        break;
      }
    }
  };
  return defineProjection({
    name: 'tunnel-connections',
    tables: ['proj_tunnel_connections'],
    events: EVENTS,
    async apply(trx, event) {
      await applyOne(trx, event);
      if (event.type === 'NodeConnected')
        await notifyDirectory(trx, schema, event.data.clusterId, [event.data.nodeName]);
    },
    async applyMany(trx, events) {
      for (const event of events) await applyOne(trx, event);
      const byCluster = new Map<string, string[]>();
      for (const e of events) {
        if (e.type !== 'NodeConnected') continue;
        byCluster.set(e.data.clusterId, [...(byCluster.get(e.data.clusterId) ?? []), e.data.nodeName]);
      }
      for (const [clusterId, nodes] of byCluster) await notifyDirectory(trx, schema, clusterId, nodes);
    },
  });
}
