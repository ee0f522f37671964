import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { evolveNodeUnit, initialNodeUnitState, NODE_UNIT_EVENTS } from '../node-unit/node-unit.state.js';
import { addressOf } from './stream-address.js';

/**
 * `proj_units`: the NodeUnit aggregate's own fold — the row holds the state `evolve` produces, so
 * the read model can never disagree with the decider. A deleted unit loses its row. The
 * `last_position` guard makes a replay over existing rows a no-op.
 */
export function unitsProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'nodepool.units',
    tables: ['proj_units'],
    events: NODE_UNIT_EVENTS,
    async apply(trx, event) {
      const db = inSchema(trx, schema);
      const { clusterId, name } = addressOf(event.streamId);
      const row = await db
        .selectFrom('proj_units')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      const next = evolveNodeUnit(row?.state ?? initialNodeUnitState, event);
      if (next.status !== 'active') {
        await db
          .deleteFrom('proj_units')
          .where('cluster_id', '=', clusterId)
          .where('name', '=', name)
          .execute();
        return;
      }
      await db
        .insertInto('proj_units')
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
