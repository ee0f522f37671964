import type { JSONColumnType } from 'kysely';

/** The live NodeGroups of a cluster and their resolved units (NodeGroupUnitsChanged). */
export interface ProjGroupsTable {
  cluster_id: string;
  name: string;
  units: JSONColumnType<string[]>;
  /** stream version of the group event applied last; an older one delivered late is ignored */
  source_version: number;
}
