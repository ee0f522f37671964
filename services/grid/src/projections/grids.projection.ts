import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { evolveGrid, GRID_EVENTS, initialGridState } from '../grid/grid.state.js';

/** `grid:<clusterId>:<name>` → clusterId and name (cluster ids contain no ':'). */
export function addressOf(streamId: string): { clusterId: string; name: string } {
  const first = streamId.indexOf(':');
  const second = streamId.indexOf(':', first + 1);
  return { clusterId: streamId.slice(first + 1, second), name: streamId.slice(second + 1) };
}

/**
 * `proj_grids` and `proj_pods`: the Grid aggregate's own fold — the row holds the state `evolve`
 * produces, so the read model can never disagree with the decider; the grid's pods are rewritten
 * from it. A deleted grid loses its rows. The `last_position` guard makes a replay a no-op.
 */
export function gridsProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'grid.grids',
    tables: ['proj_grids', 'proj_pods'],
    events: GRID_EVENTS,
    async apply(trx, event) {
      const db = inSchema(trx, schema);
      const { clusterId, name } = addressOf(event.streamId);
      const row = await db
        .selectFrom('proj_grids')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      const next = evolveGrid(row?.state ?? initialGridState, event);
      await db.deleteFrom('proj_pods').where('cluster_id', '=', clusterId).where('grid', '=', name).execute();
      if (next.status !== 'active') {
        await db
          .deleteFrom('proj_grids')
          .where('cluster_id', '=', clusterId)
          .where('name', '=', name)
          .execute();
        return;
      }
      await db
        .insertInto('proj_grids')
        .values({
          cluster_id: clusterId,
          name,
          kind: next.kind,
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
      const pods = Object.entries(next.pods).map(([pod, p]) => ({
        cluster_id: clusterId,
        name: pod,
        grid: name,
        child: p.child,
        unit: p.unit,
        node: p.node,
        reason: p.reason,
        revision: p.revision,
        updated_at: p.since,
      }));
      if (pods.length > 0) await db.insertInto('proj_pods').values(pods).execute();
    },
  });
}
