import { defineProjection } from '@edgeplane/eventstore';
import { CLUSTER_EVENTS, evolveCluster, initialClusterState } from '../cluster/cluster.state.js';
import { inSchema } from '../db/database.js';

/**
 * `proj_clusters`: each live cluster's state folded with the decider's own `evolve` (so the read
 * model can never disagree with the write side), plus the columns queries filter on. The row
 * goes with ClusterDeleted; `last_position` makes a replayed event a no-op.
 */
export function clustersProjection(schema: string) {
  return defineProjection({
    name: 'proj_clusters',
    tables: ['proj_clusters'],
    events: CLUSTER_EVENTS,
    async apply(trx, event) {
      const q = inSchema(trx, schema);
      const { clusterId } = event.data;
      const row = await q
        .selectFrom('proj_clusters')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      if (event.type === 'ClusterDeleted') {
        await q.deleteFrom('proj_clusters').where('cluster_id', '=', clusterId).execute();
        return;
      }
      const after = evolveCluster(row?.state ?? initialClusterState, event);
      if (after.status !== 'active') return;
      const s = after.spec;
      const state = JSON.stringify(after);
      await q
        .insertInto('proj_clusters')
        .values({
          cluster_id: clusterId,
          name: s.name,
          region: s.region,
          vpc_id: s.vpcId,
          vpc_cidr: s.vpcCidr,
          pod_cidr: s.podCidr,
          service_cidr: s.serviceCidr,
          created_at: s.createdAt,
          state,
          last_position: event.globalPosition,
        })
        .onConflict((oc) =>
          oc.column('cluster_id').doUpdateSet({ state, last_position: event.globalPosition }),
        )
        .execute();
    },
  });
}
