import type { Db, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import { directoryChannel, inSchema } from '../db/database.js';
import type { UnitSwitches } from '../db/proj-tunnel-health-scopes.table.js';
import { servicesDigestSql } from './unit-services.queries.js';

/**
 * Reads and writes of the gateway's directory tables: the clusters whose node certificates it
 * trusts, the nodes it admits (with their active credential) and what their peer sets are made
 * of. Written by the consumers (idempotent upserts: a redelivery changes nothing), read by every
 * replica's in-memory Directory.
 */

export interface ClusterRow {
  cluster_id: string;
  name: string | null;
  ca_cert_pem: string | null;
  remote_login: boolean;
  deleted: boolean;
  multi_region: boolean | null;
  unit_switches: UnitSwitches | null;
}

export interface NodeRow {
  cluster_id: string;
  node: string;
  present: boolean;
  ips: string[];
  units: string[];
  credential_serial: string | null;
  probe_port: number | null;
  pods_digest: string | null;
  pods_version: number | null;
  services_digest: string | null;
}

// ───────────────────────────── writes (consumers) ─────────────────────────────
//
// Replicas share the consumers' durables, so two events of one aggregate may be applied at once
// by two replicas, in either order: every fact is written with the position of its event in its
// source stream, and an older event never overwrites a newer fact. Redeliveries are no-ops too.

/** ClusterCreated (position 1 of the cluster stream): name, CA and the initial remote-login switch. */
export async function clusterCreated(
  trx: Trx,
  schema: string,
  row: { clusterId: string; name: string; caCertPem: string; remoteLogin: boolean; pos: number },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_clusters');
  await sql`
    INSERT INTO ${t} AS c (cluster_id, name, ca_cert_pem, remote_login, remote_login_pos)
    VALUES (${row.clusterId}, ${row.name}, ${row.caCertPem}, ${row.remoteLogin}, ${row.pos})
    ON CONFLICT (cluster_id) DO UPDATE SET
      name = excluded.name,
      ca_cert_pem = excluded.ca_cert_pem,
      remote_login = CASE WHEN c.remote_login_pos < excluded.remote_login_pos THEN excluded.remote_login ELSE c.remote_login END,
      remote_login_pos = GREATEST(c.remote_login_pos, excluded.remote_login_pos),
      updated_at = now()`.execute(trx);
}

export async function remoteLoginChanged(
  trx: Trx,
  schema: string,
  row: { clusterId: string; enabled: boolean; pos: number },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_clusters');
  await sql`
    INSERT INTO ${t} AS c (cluster_id, remote_login, remote_login_pos) VALUES (${row.clusterId}, ${row.enabled}, ${row.pos})
    ON CONFLICT (cluster_id) DO UPDATE SET remote_login = excluded.remote_login, remote_login_pos = excluded.remote_login_pos, updated_at = now()
    WHERE c.remote_login_pos < excluded.remote_login_pos`.execute(trx);
}

/** The cluster is gone (for good: nothing undoes it): its CA is no longer trusted, no node admitted. */
export async function clusterDeleted(trx: Trx, schema: string, clusterId: string): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_clusters');
  await sql`
    INSERT INTO ${t} (cluster_id, deleted) VALUES (${clusterId}, true)
    ON CONFLICT (cluster_id) DO UPDATE SET deleted = true, updated_at = now()`.execute(trx);
  await inSchema(trx, schema)
    .updateTable('proj_tunnel_nodes')
    .set({ present: false, credential_serial: null, updated_at: sql`now()` })
    .where('cluster_id', '=', clusterId)
    .execute();
}

/**
 * Facts about one node from its stream in the cluster service (`node-<clusterId>-<name>`):
 * presence and addresses (NodeJoined, NodeRemoved) and the active credential (NodeCredentialIssued;
 * a join or a removal clears it). Each is applied only if its event is newer than the fact's.
 */
export async function nodeFacts(
  trx: Trx,
  schema: string,
  input: {
    clusterId: string;
    node: string;
    presence?: { present: boolean; ips?: string[]; pos: number };
    credential?: { serial: string | null; pos: number };
  },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_nodes');
  const p = input.presence;
  const c = input.credential;
  await sql`
    INSERT INTO ${t} AS n (cluster_id, node, present, ips, presence_pos, credential_serial, credential_pos)
    VALUES (${input.clusterId}, ${input.node}, ${p?.present ?? false}, ${p?.ips ?? []}::text[], ${p?.pos ?? 0},
            ${c?.serial?.toLowerCase() ?? null}, ${c?.pos ?? 0})
    ON CONFLICT (cluster_id, node) DO UPDATE SET
      present = CASE WHEN n.presence_pos < excluded.presence_pos THEN excluded.present ELSE n.present END,
      ips = CASE WHEN n.presence_pos < excluded.presence_pos AND ${p?.ips !== undefined} THEN excluded.ips ELSE n.ips END,
      presence_pos = GREATEST(n.presence_pos, excluded.presence_pos),
      credential_serial = CASE WHEN n.credential_pos < excluded.credential_pos THEN excluded.credential_serial ELSE n.credential_serial END,
      credential_pos = GREATEST(n.credential_pos, excluded.credential_pos),
      updated_at = now()`.execute(trx);
}

/** nodepool's full unit layer for one node (stream `nodemembership:<clusterId>:<node>`). */
export async function setUnits(
  trx: Trx,
  schema: string,
  row: { clusterId: string; node: string; units: string[]; pos: number },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_nodes');
  await sql`
    INSERT INTO ${t} AS n (cluster_id, node, units, units_pos) VALUES (${row.clusterId}, ${row.node}, ${row.units}::text[], ${row.pos})
    ON CONFLICT (cluster_id, node) DO UPDATE SET units = excluded.units, units_pos = excluded.units_pos, updated_at = now()
    WHERE n.units_pos < excluded.units_pos`.execute(trx);
}

export async function setMultiRegion(
  trx: Trx,
  schema: string,
  row: { clusterId: string; multiRegion: boolean; pos: number },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_health_scopes');
  await sql`
    INSERT INTO ${t} AS h (cluster_id, multi_region, multi_region_pos) VALUES (${row.clusterId}, ${row.multiRegion}, ${row.pos})
    ON CONFLICT (cluster_id) DO UPDATE SET multi_region = excluded.multi_region, multi_region_pos = excluded.multi_region_pos, updated_at = now()
    WHERE h.multi_region_pos < excluded.multi_region_pos`.execute(trx);
}

/** One unit's check switch, kept with its position (switches of different units commute). */
export async function switchUnitCheck(
  trx: Trx,
  schema: string,
  row: { clusterId: string; unit: string; enabled: boolean; pos: number },
): Promise<void> {
  const t = sql.id(schema, 'proj_tunnel_health_scopes');
  const entry = JSON.stringify({ [row.unit]: { enabled: row.enabled, pos: row.pos } });
  await sql`
    INSERT INTO ${t} AS h (cluster_id, unit_switches) VALUES (${row.clusterId}, ${entry}::jsonb)
    ON CONFLICT (cluster_id) DO UPDATE SET unit_switches = h.unit_switches || excluded.unit_switches, updated_at = now()
    WHERE coalesce((h.unit_switches -> ${row.unit} ->> 'pos')::int, 0) < ${row.pos}`.execute(trx);
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
      'h.unit_switches',
    ]);
}

function nodeQuery(db: Db, schema: string) {
  return inSchema(db, schema)
    .selectFrom('proj_tunnel_nodes as n')
    .leftJoin('proj_tunnel_connections as k', (j) =>
      j.onRef('k.cluster_id', '=', 'n.cluster_id').onRef('k.node', '=', 'n.node'),
    )
    .leftJoin('proj_tunnel_node_pods as pp', (j) =>
      j.onRef('pp.cluster_id', '=', 'n.cluster_id').onRef('pp.node', '=', 'n.node'),
    )
    .select([
      'n.cluster_id',
      'n.node',
      'n.present',
      'n.ips',
      'n.units',
      'n.credential_serial',
      'k.probe_port',
      'pp.digest as pods_digest',
      'pp.stream_version as pods_version',
      servicesDigestSql(schema).as('services_digest'),
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
