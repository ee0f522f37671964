import type { ColumnType, JSONColumnType } from 'kysely';
import type { PresentNode } from '../node/node.state.js';

/** `proj_nodes`: present nodes, each the Node aggregate folded with the decider's own evolve. */
export interface ProjNodesTable {
  cluster_id: string;
  node_name: string;
  joined_at: ColumnType<Date, string, string>;
  schedulable: boolean;
  state: JSONColumnType<PresentNode>;
  last_position: number;
}
