import { lockForTransaction, serviceTables, type EventStoreTables } from '@edgeplane/eventstore';
import type { Kysely, QueryCreator, Transaction } from 'kysely';
import type { ClusterKeysTable } from './cluster-keys.table.js';
import type { ForeignLayerVersionsTable } from './foreign-layer-versions.table.js';
import type { GatewayCasTable } from './gateway-cas.table.js';
import type { JoinTokenScriptsTable } from './join-token-scripts.table.js';
import type { NodeConditionsTable } from './node-conditions.table.js';
import type { ProjClustersTable } from './proj-clusters.table.js';
import type { ProjJoinTokensTable } from './proj-join-tokens.table.js';
import type { ProjNodesTable } from './proj-nodes.table.js';

/** The cluster service's own tables (migrations.ts creates them), beside the event store's. */
export type ClusterTables = {
  proj_clusters: ProjClustersTable;
  proj_join_tokens: ProjJoinTokensTable;
  proj_nodes: ProjNodesTable;
  node_conditions: NodeConditionsTable;
  cluster_keys: ClusterKeysTable;
  gateway_cas: GatewayCasTable;
  foreign_layer_versions: ForeignLayerVersionsTable;
  join_token_scripts: JoinTokenScriptsTable;
};

export type Database = EventStoreTables & ClusterTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;

export const { tables, inSchema } = serviceTables<ClusterTables>();

/** Typed queries over one service schema (the service's own, or a test instance's). */
export type SchemaQueries = QueryCreator<Database>;

export { lockForTransaction };
