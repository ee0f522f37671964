import { X509Certificate } from 'node:crypto';
import type { Db } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import pg from 'pg';
import { PeerIndex } from './desired-state.js';
import type { ClusterEntry, NodeEntry } from './directory.entries.js';
import { directoryChannel } from '../db/database.js';
import {
  allClusters,
  allNodes,
  clusterRow,
  nodesOfCluster,
  type ClusterRow,
  type NodeRow,
} from '../read-model/directory.queries.js';

export type { ClusterEntry, NodeEntry } from './directory.entries.js';

/** What changed in one cluster: the cluster itself (`nodes` undefined) or some of its nodes. */
export interface DirectoryChange {
  clusterId: string;
  nodes?: readonly string[];
  /** the set of trusted CAs changed (a cluster was created or deleted) */
  trustChanged: boolean;
}

type Pending = Map<string, Set<string> | 'all'>;

/**
 * This replica's in-memory copy of the directory tables: trusted cluster CAs, admitted nodes and
 * the makings of peer sets. Loaded at start, then kept current by the consumers' pg_notify
 * (delivered at their commit; coalesced for 50 ms, one query per cluster) and a full reload every
 * `fullReloadMs` in case a notification was lost (the LISTEN connection reconnects and reloads).
 * Listeners hear only real changes, so a reconnect storm that changes nothing costs nothing.
 */
export class Directory {
  private readonly clusters = new Map<string, ClusterEntry>();
  private readonly clusterByName = new Map<string, string>();
  private readonly clusterBySubject = new Map<string, string>();
  private readonly nodes = new Map<string, Map<string, NodeEntry>>();
  private readonly indexes = new Map<string, PeerIndex>();
  private readonly listeners: ((change: DirectoryChange) => void)[] = [];
  private pending: Pending = new Map();
  private flushTimer?: NodeJS.Timeout;
  private reloadTimer?: NodeJS.Timeout;
  private client?: pg.Client;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly schema: string,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly defaultProbePort: number,
    private readonly fullReloadMs = 60_000,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    await this.fullReload();
    this.reloadTimer = setInterval(() => this.enqueue(() => this.fullReload()), this.fullReloadMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.client?.end().catch(() => undefined);
    await this.queue;
  }

  onChange(listener: (change: DirectoryChange) => void): void {
    this.listeners.push(listener);
  }

  cluster(id: string): ClusterEntry | undefined {
    return this.clusters.get(id);
  }

  /** A live cluster by name or id. */
  resolveCluster(ref: string): ClusterEntry | undefined {
    const byId = this.clusters.get(ref);
    if (byId && !byId.deleted) return byId;
    const id = this.clusterByName.get(ref);
    return id ? this.clusters.get(id) : undefined;
  }

  /** The live cluster whose CA has this subject (X509Certificate.subject of the CA). */
  clusterByCaSubject(subject: string): ClusterEntry | undefined {
    const id = this.clusterBySubject.get(subject);
    return id ? this.clusters.get(id) : undefined;
  }

  node(clusterId: string, name: string): NodeEntry | undefined {
    return this.nodes.get(clusterId)?.get(name);
  }

  nodesOf(clusterId: string): ReadonlyMap<string, NodeEntry> {
    return this.nodes.get(clusterId) ?? new Map();
  }

  /** The cluster's nodes indexed for peer sets (rebuilt after any change of the cluster). */
  peerIndex(clusterId: string): PeerIndex | undefined {
    const cluster = this.clusters.get(clusterId);
    if (!cluster) return undefined;
    let index = this.indexes.get(clusterId);
    if (!index)
      this.indexes.set(
        clusterId,
        (index = new PeerIndex(cluster, this.nodesOf(clusterId), this.defaultProbePort)),
      );
    return index;
  }

  /** CA certificates of every live cluster (the tunnel port's trust bundle). */
  trustedCas(): string[] {
    return [...this.clusters.values()].filter((c) => !c.deleted).map((c) => c.caPem);
  }

  /** Called on a notification (also by tests): reload `nodes` of the cluster, or all of it. */
  invalidate(clusterId: string, nodes?: readonly string[]): void {
    const current = this.pending.get(clusterId);
    if (!nodes || current === 'all') this.pending.set(clusterId, 'all');
    else {
      const set = current ?? new Set<string>();
      for (const n of nodes) set.add(n);
      this.pending.set(clusterId, set.size > 200 ? 'all' : set);
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const batch = this.pending;
      this.pending = new Map();
      this.enqueue(() => this.reloadPending(batch));
    }, 50);
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.logger.error({ err: (error as Error).message }, 'directory reload failed; retrying in 1 s');
      setTimeout(() => this.enqueue(() => this.fullReload()), 1000).unref();
    });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'tunnel-directory',
    });
    client.on('notification', (msg) => {
      try {
        const { c, n } = JSON.parse(msg.payload ?? '{}') as { c?: string; n?: string[] };
        if (c) this.invalidate(c, n);
      } catch {
        /* not ours */
      }
    });
    const reconnect = () => {
      if (this.stopped || this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      setTimeout(() => {
        this.listen()
          .then(() => this.enqueue(() => this.fullReload()))
          .catch(() => reconnect());
      }, 1000).unref();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    this.client = client;
    await client.connect();
    await client.query(`LISTEN "${directoryChannel(this.schema)}"`);
  }

  private async fullReload(): Promise<void> {
    const [clusters, nodes] = await Promise.all([
      allClusters(this.db, this.schema),
      allNodes(this.db, this.schema),
    ]);
    const seen = new Set<string>();
    for (const row of clusters) {
      if (!row.ca_cert_pem || !row.name) continue; // not created yet (its other events came first)
      if (!this.readableCa(row)) continue;
      seen.add(row.cluster_id);
      const byCluster = nodes.filter((n) => n.cluster_id === row.cluster_id);
      this.applyCluster(row.cluster_id, row, byCluster, undefined);
    }
    // nodes whose cluster row has not arrived yet are kept too (membership before ClusterCreated)
    const orphans = new Map<string, NodeRow[]>();
    for (const n of nodes)
      if (!seen.has(n.cluster_id)) orphans.set(n.cluster_id, [...(orphans.get(n.cluster_id) ?? []), n]);
    for (const [clusterId, rows] of orphans) this.applyCluster(clusterId, undefined, rows, undefined);
  }

  private async reloadPending(batch: Pending): Promise<void> {
    for (const [clusterId, what] of batch) {
      const names = what === 'all' ? undefined : [...what];
      const [row, nodes] = await Promise.all([
        clusterRow(this.db, this.schema, clusterId),
        nodesOfCluster(this.db, this.schema, clusterId, names),
      ]);
      this.applyCluster(clusterId, row, nodes, names);
    }
  }

  /** Replaces the cluster and its nodes (all of them, or only `only`), telling listeners what differs. */
  private applyCluster(
    clusterId: string,
    row: ClusterRow | undefined,
    nodeRows: NodeRow[],
    only: string[] | undefined,
  ): void {
    let clusterChanged = false;
    let trustChanged = false;
    const before = this.clusters.get(clusterId);
    if (row?.ca_cert_pem && row.name && this.readableCa(row)) {
      const next = clusterEntry({ ...row, name: row.name, ca_cert_pem: row.ca_cert_pem });
      if (!before || clusterSignature(before) !== clusterSignature(next)) {
        clusterChanged = true;
        trustChanged = !before || before.deleted !== next.deleted || before.caPem !== next.caPem;
        if (before) this.clusterBySubject.delete(before.ca.subject);
        if (before && this.clusterByName.get(before.name) === clusterId)
          this.clusterByName.delete(before.name);
        this.clusters.set(clusterId, next);
        if (!next.deleted) {
          this.clusterByName.set(next.name, clusterId);
          this.clusterBySubject.set(next.ca.subject, clusterId);
        }
      }
    }
    let nodes = this.nodes.get(clusterId);
    if (!nodes) this.nodes.set(clusterId, (nodes = new Map()));
    const changed: string[] = [];
    const fresh = new Set<string>();
    for (const r of nodeRows) {
      fresh.add(r.node);
      const next = nodeEntry(r);
      const prev = nodes.get(r.node);
      if (!prev || nodeSignature(prev) !== nodeSignature(next)) {
        nodes.set(r.node, next);
        changed.push(r.node);
      }
    }
    // rows that are gone (a full reload after a schema rebuild): forget them
    for (const name of only ?? [...nodes.keys()]) {
      if (!fresh.has(name) && nodes.delete(name)) changed.push(name);
    }
    if (clusterChanged) this.emit({ clusterId, trustChanged });
    else if (changed.length > 0) this.emit({ clusterId, nodes: changed, trustChanged: false });
  }

  private readonly unreadable = new Set<string>();

  /**
   * A cluster whose CA certificate cannot be parsed is not trusted (no node of it can connect) —
   * and must not stop the rest of the directory from loading. Said once per cluster.
   */
  private readableCa(row: ClusterRow): boolean {
    try {
      new X509Certificate(row.ca_cert_pem ?? '');
      return true;
    } catch (error) {
      if (!this.unreadable.has(row.cluster_id)) {
        this.unreadable.add(row.cluster_id);
        this.logger.warn(
          { clusterId: row.cluster_id, err: (error as Error).message },
          'cluster CA certificate unreadable; its nodes cannot connect',
        );
      }
      return false;
    }
  }

  private emit(change: DirectoryChange): void {
    this.indexes.delete(change.clusterId);
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'directory listener failed');
      }
    }
  }
}

function clusterEntry(row: ClusterRow & { name: string; ca_cert_pem: string }): ClusterEntry {
  const switches = Object.entries(row.unit_switches ?? {});
  return {
    id: row.cluster_id,
    name: row.name,
    caPem: row.ca_cert_pem,
    ca: new X509Certificate(row.ca_cert_pem),
    remoteLogin: row.remote_login,
    deleted: row.deleted,
    multiRegion: row.multi_region ?? false,
    disabledUnits: new Set(switches.filter(([, s]) => !s.enabled).map(([unit]) => unit)),
  };
}

function nodeEntry(row: NodeRow): NodeEntry {
  return {
    clusterId: row.cluster_id,
    name: row.node,
    present: row.present,
    ips: row.ips,
    units: row.units,
    serial: row.credential_serial,
    probePort: row.probe_port,
    podsDigest: row.pods_digest,
    podsVersion: row.pods_version ?? 0,
    servicesDigest: row.services_digest,
  };
}

function clusterSignature(c: ClusterEntry): string {
  return JSON.stringify([
    c.name,
    c.caPem.length,
    c.remoteLogin,
    c.deleted,
    c.multiRegion,
    [...c.disabledUnits],
  ]);
}

function nodeSignature(n: NodeEntry): string {
  return JSON.stringify([n.present, n.ips, n.units, n.serial, n.probePort, n.podsDigest, n.servicesDigest]);
}
