import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { evolveNodeGroup, initialNodeGroupState, NODE_GROUP_EVENTS } from '../node-group/node-group.state.js';
import { addressOf } from './stream-address.js';

/**
 * `proj_groups`: the NodeGroup aggregate's own fold — the row holds the state `evolve` produces, so
 * the read model can never disagree with the decider. A deleted group loses its row. The
 * `last_position` guard makes a replay over existing rows a no-op.
 */
export function groupsProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'nodepool.groups',
    tables: ['proj_groups'],
    events: NODE_GROUP_EVENTS,
    async apply(trx, event) {
      const db = inSchema(trx, schema);
      const { clusterId, name } = addressOf(event.streamId);
      const row = await db
        .selectFrom('proj_groups')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      const next = evolveNodeGroup(row?.state ?? initialNodeGroupState, event);
      if (next.status !== 'active') {
        await db
          .deleteFrom('proj_groups')
          .where('cluster_id', '=', clusterId)
          .where('name', '=', name)
          .execute();
        return;
      }
      await db
        .insertInto('proj_groups')
        .values({
          cluster_id: clusterId,
          name,
          state: JSON.stringify(next),
          last_position: event.globalPosition,
        })
        .onConflict((oc) =>
          oc.columns(['cluster_id', 'name']).doUpdateSet((eb) => ({
            state: eb.ref('excluded.state'),
            last_position: eb.ref('excluded.last_position'),
          })),
        )
        .execute();
    },
  });
}
