import type { Db, EventStoreTables, Trx } from '@edgeplane/eventstore';
import { sql, type Kysely, type QueryCreator, type Transaction } from 'kysely';
import type { ClusterKeysTable } from './cluster-keys.table.js';
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
};

export type Database = EventStoreTables & ClusterTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;

/** The one pool (or a transaction on it) widened to the service's tables; a transaction stays one. */
export function tables(q: Trx): ServiceTrx;
export function tables(q: Db): ServiceDb;
export function tables(q: Db): ServiceDb {
  return q.withTables<ClusterTables>();
}

/** Typed queries over one service schema (the service's own, or a test instance's). */
export type SchemaQueries = QueryCreator<Database>;

export function inSchema(q: Db, schema: string): SchemaQueries {
  return tables(q).withSchema(schema);
}

/**
 * Takes a transaction-scoped advisory lock on `key` (released at commit or rollback), so
 * decisions that must not pass side by side take turns instead of racing on stream versions.
 */
export async function lockForTransaction(trx: Trx, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
