import type { Db, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import { directoryChannel, inSchema } from '../db/database.js';

/**
 * Reads and writes of the gateway's directory tables: the clusters whose node certificates it
 * trusts, the nodes it admits (with their active credential) and what their peer sets are made
 * of. Written by the consumers (idempotent upserts: a redelivery changes nothing), read by every
 * replica's in-memory Directory.
 */

export interface ClusterRow {
  cluster_id: string;
  name: string;
  ca_cert_pem: string;
  remote_login: boolean;
  deleted: boolean;
  multi_region: boolean | null;
  disabled_units: string[] | null;
}

export interface NodeRow {
  cluster_id: string;
  node: string;
  present: boolean;
  ips: string[];
  units: string[];
  credential_serial: string | null;
  probe_port: number | null;
}

// ───────────────────────────── writes (consumers) ─────────────────────────────

export async function upsertCluster(
  trx: Trx,
  schema: string,
  row: { clusterId: string; name: string; caCertPem: string; remoteLogin: boolean },
): Promise<void> {
  await inSchema(trx, schema)
    .insertInto('proj_tunnel_clusters')
    .values({
      cluster_id: row.clusterId,
      name: row.name,
      ca_cert_pem: row.caCertPem,
      remote_login: row.remoteLogin,
      deleted: false,
    })
    .onConflict((oc) => oc.column('cluster_id').doNothing())
    .execute();
}

export async function setRemoteLogin(
  trx: Trx,
  schema: string,
  clusterId: string,
  enabled: boolean,
): Promise<void> {
  await inSchema(trx, schema)
    .updateTable('proj_tunnel_clusters')
    .set({ remote_login: enabled, updated_at: sql`now()` })
    .where('cluster_id', '=', clusterId)
    .execute();
}

/** The cluster is gone: its CA is no longer trusted and none of its nodes is admitted. */
export async function deleteCluster(trx: Trx, schema: string, clusterId: string): Promise<void> {
  const q = inSchema(trx, schema);
  await q
    .updateTable('proj_tunnel_clusters')
    .set({ deleted: true, updated_at: sql`now()` })
    .where('cluster_id', '=', clusterId)
    .execute();
  await q
    .updateTable('proj_tunnel_nodes')
    .set({ present: false, credential_serial: null, updated_at: sql`now()` })
    .where('cluster_id', '=', clusterId)
    .execute();
}

/** A join: present with these addresses; the credential comes with NodeCredentialIssued. */
export async function nodeJoined(
  trx: Trx,
  schema: string,
  row: { clusterId: string; node: string; ips: string[] },
): Promise<void> {
  await inSchema(trx, schema)
    .insertInto('proj_tunnel_nodes')
    .values({
      cluster_id: row.clusterId,
      node: row.node,
      present: true,
      ips: row.ips,
      credential_serial: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'node'])
        .doUpdateSet({ present: true, ips: row.ips, credential_serial: null, updated_at: sql`now()` }),
    )
    .execute();
}

export async function credentialIssued(
  trx: Trx,
  schema: string,
  row: { clusterId: string; node: string; serial: string },
): Promise<void> {
  await inSchema(trx, schema)
    .updateTable('proj_tunnel_nodes')
    .set({ credential_serial: row.serial.toLowerCase(), updated_at: sql`now()` })
    .where('cluster_id', '=', row.clusterId)
    .where('node', '=', row.node)
    .where('present', '=', true)
    .execute();
}

export async function nodeRemoved(trx: Trx, schema: string, clusterId: string, node: string): Promise<void> {
  await inSchema(trx, schema)
    .updateTable('proj_tunnel_nodes')
    .set({ present: false, credential_serial: null, updated_at: sql`now()` })
    .where('cluster_id', '=', clusterId)
    .where('node', '=', node)
    .execute();
}

/** Membership may arrive before the join: the row then waits with present = false. */
export async function setUnits(
  trx: Trx,
  schema: string,
  clusterId: string,
  node: string,
  units: string[],
): Promise<void> {
  await inSchema(trx, schema)
    .insertInto('proj_tunnel_nodes')
    .values({ cluster_id: clusterId, node, units })
    .onConflict((oc) => oc.columns(['cluster_id', 'node']).doUpdateSet({ units, updated_at: sql`now()` }))
    .execute();
}

export async function setMultiRegion(
  trx: Trx,
  schema: string,
  clusterId: string,
  multiRegion: boolean,
): Promise<void> {
  await inSchema(trx, schema)
    .insertInto('proj_tunnel_health_scopes')
    .values({ cluster_id: clusterId, multi_region: multiRegion })
    .onConflict((oc) =>
      oc.column('cluster_id').doUpdateSet({ multi_region: multiRegion, updated_at: sql`now()` }),
    )
    .execute();
}

export async function switchUnitCheck(
  trx: Trx,
  schema: string,
  clusterId: string,
  unit: string,
  enabled: boolean,
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_health_scopes');
  const disabled = enabled ? sql`'{}'::text[]` : sql`ARRAY[${unit}]::text[]`;
  await sql`
    INSERT INTO ${t} (cluster_id, disabled_units) VALUES (${clusterId}, ${disabled})
    ON CONFLICT (cluster_id) DO UPDATE SET updated_at = now(), disabled_units = ${
      enabled
        ? sql`array_remove(${t}.disabled_units, ${unit})`
        : sql`(SELECT array_agg(DISTINCT u ORDER BY u) FROM unnest(${t}.disabled_units || ARRAY[${unit}]::text[]) u)`
    }`.execute(trx);
}

/**
 * Tells every replica's Directory what to reload, at commit (pg_notify is delivered then, and
 * not at all on rollback). `nodes` omitted: the whole cluster.
 */
export async function notifyDirectory(
  trx: Trx,
  schema: string,
  clusterId: string,
  nodes?: string[],
): Promise<void> {
  let payload = JSON.stringify(nodes ? { c: clusterId, n: nodes } : { c: clusterId });
  if (payload.length > 7000) payload = JSON.stringify({ c: clusterId });
  await sql`SELECT pg_notify(${directoryChannel(schema)}, ${payload})`.execute(trx);
}

// ───────────────────────────── reads (Directory) ─────────────────────────────

function clusterQuery(db: Db, schema: string) {
  return inSchema(db, schema)
    .selectFrom('proj_tunnel_clusters as c')
    .leftJoin('proj_tunnel_health_scopes as h', 'h.cluster_id', 'c.cluster_id')
    .select([
      'c.cluster_id',
      'c.name',
      'c.ca_cert_pem',
      'c.remote_login',
      'c.deleted',
      'h.multi_region',
      'h.disabled_units',
    ]);
}

function nodeQuery(db: Db, schema: string) {
  return inSchema(db, schema)
    .selectFrom('proj_tunnel_nodes as n')
    .leftJoin('proj_tunnel_connections as k', (j) =>
      j.onRef('k.cluster_id', '=', 'n.cluster_id').onRef('k.node', '=', 'n.node'),
    )
    .select([
      'n.cluster_id',
      'n.node',
      'n.present',
      'n.ips',
      'n.units',
      'n.credential_serial',
      'k.probe_port',
    ]);
}

export function allClusters(db: Db, schema: string): Promise<ClusterRow[]> {
  return clusterQuery(db, schema).execute();
}

export function clusterRow(db: Db, schema: string, clusterId: string): Promise<ClusterRow | undefined> {
  return clusterQuery(db, schema).where('c.cluster_id', '=', clusterId).executeTakeFirst();
}

export function allNodes(db: Db, schema: string): Promise<NodeRow[]> {
  return nodeQuery(db, schema).execute();
}

export function nodesOfCluster(
  db: Db,
  schema: string,
  clusterId: string,
  nodes?: string[],
): Promise<NodeRow[]> {
  let q = nodeQuery(db, schema).where('n.cluster_id', '=', clusterId);
  if (nodes) q = q.where('n.node', 'in', nodes.length > 0 ? nodes : ['']);
  return q.execute();
}
