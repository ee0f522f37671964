import type { EventData, NodeVerdictChanged } from '@edgeplane/contracts';
import type { SchemaQueries } from '../db/database.js';
import type { NodeReadiness } from '../node-unit/node-unit.views.js';

/** Latest verdict per node: `Ready` is ready, any other verdict is not (no row: unknown). */
export async function readiness(db: SchemaQueries, clusterId: string): Promise<Map<string, NodeReadiness>> {
  const rows = await db
    .selectFrom('proj_node_health')
    .select(['node', 'verdict'])
    .where('cluster_id', '=', clusterId)
    .execute();
  return new Map(
    rows.map((r): [string, NodeReadiness] => [
      r.node,
      { verdict: r.verdict === 'Ready' ? 'Ready' : 'NotReady' },
    ]),
  );
}

/** Verdicts apply in order of their `at`: a late redelivery of an older one changes nothing. */
export async function recordVerdict(
  db: SchemaQueries,
  d: EventData<typeof NodeVerdictChanged>,
): Promise<void> {
  await db
    .insertInto('proj_node_health')
    .values({ cluster_id: d.clusterId, node: d.node, verdict: d.verdict, at: d.at })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'node'])
        .doUpdateSet((eb) => ({ verdict: eb.ref('excluded.verdict'), at: eb.ref('excluded.at') }))
        .whereRef('proj_node_health.at', '<=', 'excluded.at'),
    )
    .execute();
}

/** Forgets the verdicts of one node of a cluster, or of all of them. */
export async function removeVerdicts(db: SchemaQueries, clusterId: string, node?: string): Promise<void> {
  const query = db.deleteFrom('proj_node_health').where('cluster_id', '=', clusterId);
  await (node === undefined ? query : query.where('node', '=', node)).execute();
}
