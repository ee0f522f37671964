import type { Verdict } from '@edgeplane/contracts';
import type { Selectable } from 'kysely';
import type { SchemaQueries } from '../db/database.js';
import type { VerdictHistoryTable } from '../db/verdict-history.table.js';
import type { VerdictsTable } from '../db/verdicts.table.js';

type RecordedVerdictRow = Pick<
  Selectable<VerdictsTable>,
  'verdict' | 'rule' | 'since' | 'taints' | 'condition' | 'evidence'
>;
type HistoryRow = Pick<Selectable<VerdictHistoryTable>, 'at' | 'verdict' | 'previous' | 'rule'>;

/** proj_verdicts `v` of a cluster, only for the nodes still in it (a removed node keeps its row). */
function ofPresentNodes(q: SchemaQueries, clusterId: string) {
  return q
    .selectFrom('proj_verdicts as v')
    .innerJoin('proj_health_nodes as n', (join) =>
      join
        .onRef('n.cluster_id', '=', 'v.cluster_id')
        .onRef('n.node', '=', 'v.node')
        .on('n.present', '=', true),
    )
    .where('v.cluster_id', '=', clusterId);
}

/** A ListVerdicts row: the recorded verdict, the evidence of its last change, the node's units. */
export type ListedVerdictRow = Pick<
  Selectable<VerdictsTable>,
  'node' | 'verdict' | 'rule' | 'since' | 'evidence'
> & { units: string[] };

/**
 * The recorded verdicts of a cluster's present nodes (all, or only these verdicts), by node, with
 * the evidence of the last change and the node's units.
 */
export async function recordedVerdicts(
  q: SchemaQueries,
  clusterId: string,
  only: readonly Verdict[],
): Promise<ListedVerdictRow[]> {
  let query = ofPresentNodes(q, clusterId).select([
    'v.node',
    'v.verdict',
    'v.rule',
    'v.since',
    'v.evidence',
    'n.units',
  ]);
  if (only.length > 0) query = query.where('v.verdict', 'in', only);
  return query.orderBy('v.node').execute();
}

/** The last recorded verdict of a present node, with its evidence. */
export async function recordedVerdict(
  q: SchemaQueries,
  clusterId: string,
  node: string,
): Promise<RecordedVerdictRow | undefined> {
  return ofPresentNodes(q, clusterId)
    .select(['v.verdict', 'v.rule', 'v.since', 'v.taints', 'v.condition', 'v.evidence'])
    .where('v.node', '=', node)
    .executeTakeFirst();
}

/** A node's last `limit` verdict changes, oldest first. */
export async function verdictHistory(
  q: SchemaQueries,
  clusterId: string,
  node: string,
  limit: number,
): Promise<HistoryRow[]> {
  const rows = await q
    .selectFrom('proj_verdict_history')
    .select(['at', 'verdict', 'previous', 'rule'])
    .where('cluster_id', '=', clusterId)
    .where('node', '=', node)
    .orderBy('position', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Start-up: the recorded verdict (and its stream version) of every node of these clusters. */
export async function verdictsOfClusters(
  q: SchemaQueries,
  clusterIds: readonly string[],
): Promise<
  Pick<Selectable<VerdictsTable>, 'cluster_id' | 'node' | 'verdict' | 'rule' | 'since' | 'stream_version'>[]
> {
  if (clusterIds.length === 0) return [];
  return q
    .selectFrom('proj_verdicts')
    .select(['cluster_id', 'node', 'verdict', 'rule', 'since', 'stream_version'])
    .where('cluster_id', 'in', clusterIds)
    .execute();
}

/** Start-up: the last `limit` verdict changes of every node of these clusters, oldest first. */
export async function historyOfClusters(
  q: SchemaQueries,
  clusterIds: readonly string[],
  limit: number,
): Promise<(HistoryRow & Pick<Selectable<VerdictHistoryTable>, 'cluster_id' | 'node'>)[]> {
  if (clusterIds.length === 0) return [];
  return q
    .selectFrom((q) =>
      q
        .selectFrom('proj_verdict_history')
        .select((eb) => [
          'cluster_id',
          'node',
          'position',
          'at',
          'verdict',
          'previous',
          'rule',
          eb.fn
            .agg<number>('row_number')
            .over((over) => over.partitionBy(['cluster_id', 'node']).orderBy('position', 'desc'))
            .as('rn'),
        ])
        .where('cluster_id', 'in', clusterIds)
        .as('x'),
    )
    .select(['cluster_id', 'node', 'at', 'verdict', 'previous', 'rule'])
    .where('rn', '<=', limit)
    .orderBy('position')
    .execute();
}
