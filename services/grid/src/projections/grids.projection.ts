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
 * produces, so the read model can never disagree with the decider, and the stream version it
 * stands for (the aggregate's snapshot: grid.snapshot.ts); the grid's pods that the event changed
 * are rewritten from it. A deleted grid loses its rows. The `last_position` guard makes a replay
 * a no-op.
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
      if (next.status !== 'active' || !row) {
        // a new (or deleted) grid: nothing of it may be left over
        await db
          .deleteFrom('proj_pods')
          .where('cluster_id', '=', clusterId)
          .where('grid', '=', name)
          .execute();
      }
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
          stream_version: event.streamVersion,
        })
        .onConflict((oc) =>
          oc.columns(['cluster_id', 'name']).doUpdateSet((eb) => ({
            state: eb.ref('excluded.state'),
            last_position: eb.ref('excluded.last_position'),
            stream_version: eb.ref('excluded.stream_version'),
          })),
        )
        .execute();
      // only the pods this event changed are rewritten (a PodScheduled touches one row, not the
      // grid's thousands)
      const before = row?.state.pods ?? {};
      const gone = Object.keys(before).filter((pod) => !Object.hasOwn(next.pods, pod));
      const changed = Object.entries(next.pods).filter(
        ([pod, p]) => !Object.hasOwn(before, pod) || JSON.stringify(before[pod]) !== JSON.stringify(p),
      );
      const stale = [...gone, ...changed.filter(([pod]) => Object.hasOwn(before, pod)).map(([pod]) => pod)];
      if (stale.length > 0)
        await db
          .deleteFrom('proj_pods')
          .where('cluster_id', '=', clusterId)
          .where('grid', '=', name)
          .where('name', 'in', stale)
          .execute();
      const pods = changed.map(([pod, p]) => ({
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
