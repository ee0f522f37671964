import type { JSONColumnType } from 'kysely';
import type { ActiveGridState } from '../grid/grid.state.js';

/** One row per live grid: the aggregate's own fold (`evolve` over its stream). */
export interface ProjGridsTable {
  cluster_id: string;
  name: string;
  kind: string;
  state: JSONColumnType<ActiveGridState>;
  /** global position of the last event applied (replays at or below it are no-ops) */
  last_position: number;
  /** the stream version `state` is the fold of (the aggregate's snapshot); null in rows written before it was kept */
  stream_version: number | null;
}
