import type { JSONColumnType } from 'kysely';
import type { ActiveGroupState } from '../node-group/node-group.state.js';

/** One row per live NodeGroup: the aggregate's own fold (spec and resolved units). */
export interface ProjGroupsTable {
  cluster_id: string;
  name: string;
  state: JSONColumnType<ActiveGroupState>;
  /** global position of the last event applied (replays at or below it are no-ops) */
  last_position: number;
}
