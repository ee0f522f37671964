import type { JSONColumnType } from 'kysely';

/** The live NodeUnits of a cluster and their own labels (what grid overriders select on). */
export interface ProjUnitsTable {
  cluster_id: string;
  name: string;
  labels: JSONColumnType<Record<string, string>>;
}
