import type { JSONColumnType } from 'kysely';
import type { ActiveUnitState } from '../node-unit/node-unit.state.js';

/** One row per live NodeUnit: the aggregate's own fold (`evolve` over its stream). */
export interface ProjUnitsTable {
  cluster_id: string;
  name: string;
  state: JSONColumnType<ActiveUnitState>;
  /** global position of the last event applied (replays at or below it are no-ops) */
  last_position: number;
}
