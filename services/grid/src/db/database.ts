import type { Kysely, QueryCreator, Transaction } from 'kysely';
import { serviceTables, type EventStoreTables } from '@edgeplane/eventstore';
import type { ProjClustersTable } from './proj-clusters.table.js';
import type { ProjGridsTable } from './proj-grids.table.js';
import type { ProjGroupsTable } from './proj-groups.table.js';
import type { ProjNodePodsTable } from './proj-node-pods.table.js';
import type { ProjNodesTable } from './proj-nodes.table.js';
import type { ProjPodStatusTable } from './proj-pod-status.table.js';
import type { ProjPodsTable } from './proj-pods.table.js';
import type { ProjUnitsTable } from './proj-units.table.js';

/** grid's own tables (migrations.ts creates them), next to the event store's in its schema. */
export type GridTables = {
  proj_grids: ProjGridsTable;
  proj_pods: ProjPodsTable;
  proj_node_pods: ProjNodePodsTable;
  proj_clusters: ProjClustersTable;
  proj_nodes: ProjNodesTable;
  proj_units: ProjUnitsTable;
  proj_groups: ProjGroupsTable;
  proj_pod_status: ProjPodStatusTable;
};

export type Database = EventStoreTables & GridTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;

export const { tables, inSchema } = serviceTables<GridTables>();

/** grid's tables in one instance's schema, on the pool or inside a transaction. */
export type SchemaQueries = QueryCreator<Database>;
