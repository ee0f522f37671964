import type { Kysely, QueryCreator, Transaction } from 'kysely';
import { serviceTables, type EventStoreTables } from '@edgeplane/eventstore';
import type { ProjClustersTable } from './proj-clusters.table.js';
import type { ProjGroupsTable } from './proj-groups.table.js';
import type { ProjNodeHealthTable } from './proj-node-health.table.js';
import type { ProjNodeMembershipTable } from './proj-node-membership.table.js';
import type { ProjNodesTable } from './proj-nodes.table.js';
import type { ProjUnitsTable } from './proj-units.table.js';

/** nodepool's own tables (migrations.ts creates them), next to the event store's in its schema. */
export type NodepoolTables = {
  proj_units: ProjUnitsTable;
  proj_groups: ProjGroupsTable;
  proj_node_membership: ProjNodeMembershipTable;
  proj_clusters: ProjClustersTable;
  proj_nodes: ProjNodesTable;
  proj_node_health: ProjNodeHealthTable;
};

export type Database = EventStoreTables & NodepoolTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;

export const { tables, inSchema } = serviceTables<NodepoolTables>();

/**
 * nodepool's tables in one instance's schema, on the pool or inside a transaction: what the
 * read-model query functions take (the schema varies: tests run side-by-side instances).
 */
export type SchemaQueries = QueryCreator<Database>;
