import { ClusterDeleted } from '@edgeplane/contracts';
import { defineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { evolveNode, initialNodeState, NODE_EVENTS } from '../node/node.state.js';
import { isSchedulable } from '../node/node.views.js';

/**
 * `proj_nodes`: each present node folded with the decider's own `evolve`. A node leaves with
 * NodeRemoved, and all of a cluster's nodes with ClusterDeleted (F-CL-7; their NodeRemoved
 * follow) — each taking its `node_conditions` along. `last_position` makes a replayed event a no-op.
 */
export function nodesProjection(schema: string) {
  return defineProjection({
    name: 'proj_nodes',
    tables: ['proj_nodes'],
    events: [...NODE_EVENTS, ClusterDeleted],
    async apply(trx, event) {
      const q = inSchema(trx, schema);
      if (event.type === 'ClusterDeleted') {
        const { clusterId } = event.data;
        await q.deleteFrom('proj_nodes').where('cluster_id', '=', clusterId).execute();
        await q.deleteFrom('node_conditions').where('cluster_id', '=', clusterId).execute();
        return;
      }
      const { clusterId, nodeName } = event.data;
      const row = await q
        .selectFrom('proj_nodes')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .where('node_name', '=', nodeName)
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      if (event.type === 'NodeRemoved') {
        for (const table of ['proj_nodes', 'node_conditions'] as const) {
          await q
            .deleteFrom(table)
            .where('cluster_id', '=', clusterId)
            .where('node_name', '=', nodeName)
            .execute();
        }
        return;
      }
      const after = evolveNode(row?.state ?? initialNodeState, event);
      if (after.status !== 'present') return;
      const values = {
        joined_at: after.joinedAt,
        schedulable: isSchedulable(after),
        state: JSON.stringify(after),
        last_position: event.globalPosition,
      };
      await q
        .insertInto('proj_nodes')
        .values({ cluster_id: clusterId, node_name: nodeName, ...values })
        .onConflict((oc) => oc.columns(['cluster_id', 'node_name']).doUpdateSet(values))
        .execute();
    },
  });
}
