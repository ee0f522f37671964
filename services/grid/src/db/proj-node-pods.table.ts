import type { JSONColumnType } from 'kysely';
import type { gridSchemas } from '@edgeplane/contracts';

/** The pods assigned to each node (NodePodsAssigned): what its agent is told to run. */
export interface ProjNodePodsTable {
  cluster_id: string;
  node: string;
  pods: JSONColumnType<gridSchemas.PodAssignment[]>;
  stream_version: number;
}
