import type { JSONColumnType } from 'kysely';

/**
 * The OPERATOR label layer per node (NodeJoined, NodeLabelsChanged, other owners'
 * NodeSystemLabelsChanged, NodeRemoved): what unit selectors match — never nodepool's own labels.
 */
export interface ProjNodesTable {
  cluster_id: string;
  name: string;
  labels: JSONColumnType<Record<string, string>>;
  joined_at: string;
}
