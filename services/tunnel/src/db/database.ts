import type { Db, EventStoreTables, Trx } from '@edgeplane/eventstore';
import type { Kysely, QueryCreator, Transaction } from 'kysely';
import type { GatewayKeysTable } from './gateway-keys.table.js';
import type { ProjTunnelClustersTable } from './proj-tunnel-clusters.table.js';
import type { ProjTunnelConnectionsTable } from './proj-tunnel-connections.table.js';
import type { ProjTunnelHealthScopesTable } from './proj-tunnel-health-scopes.table.js';
import type { ProjTunnelNodePodsTable } from './proj-tunnel-node-pods.table.js';
import type { ProjTunnelNodesTable } from './proj-tunnel-nodes.table.js';
import type { ProjTunnelServiceGridsTable } from './proj-tunnel-service-grids.table.js';
import type { ProjTunnelUnitServicesTable } from './proj-tunnel-unit-services.table.js';

/** The tunnel service's own tables (migrations.ts creates them), beside the event store's. */
export type TunnelTables = {
  gateway_keys: GatewayKeysTable;
  proj_tunnel_clusters: ProjTunnelClustersTable;
  proj_tunnel_nodes: ProjTunnelNodesTable;
  proj_tunnel_health_scopes: ProjTunnelHealthScopesTable;
  proj_tunnel_connections: ProjTunnelConnectionsTable;
  proj_tunnel_node_pods: ProjTunnelNodePodsTable;
  proj_tunnel_service_grids: ProjTunnelServiceGridsTable;
  proj_tunnel_unit_services: ProjTunnelUnitServicesTable;
};

export type Database = EventStoreTables & TunnelTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;
/** Typed queries over one service schema (the service's own, or a test instance's). */
export type SchemaQueries = QueryCreator<Database>;

/** The one pool (or a transaction on it) widened to the service's tables, in one schema. */
export function inSchema(q: Db | Trx, schema: string): SchemaQueries {
  return (q as Db).withTables<TunnelTables>().withSchema(schema);
}

/** The channel every replica LISTENs on for changes of what it caches (see directory-notify.ts). */
export function directoryChannel(schema: string): string {
  return `${schema}_directory`;
}
