import { createHash } from 'node:crypto';
import type { ClusterEntry, NodeEntry } from './directory.entries.js';

/** The unit every node is in by default; it is not a site, so it makes no peers in multi-region mode. */
export const DEFAULT_UNIT = 'unit-node-all';

export interface AgentSettingsValues {
  heartbeatPeriodSeconds: number;
  probePeriodSeconds: number;
  probeTimeoutMs: number;
}

export interface Peer {
  name: string;
  address: string;
}

export interface DesiredStateValue {
  /** a hash of the content: equal versions, equal state (the same on every replica) */
  version: string;
  peers(): Peer[];
  remoteLogin: boolean;
  settings: AgentSettingsValues;
  /** the content hash of the node's assigned pods (null: none); the pods are read when pushed */
  podsDigest: string | null;
  /** the content hash of the ServiceGrids of the node's units (null: none); read when pushed */
  servicesDigest: string | null;
}

interface Scope {
  /** everyone in the scope, sorted by name, at their probe addresses */
  members: Peer[];
  digest: string;
}

/**
 * A cluster's nodes indexed for peer sets, built once per change of the cluster and shared by
 * every node's desired state. Peer sets follow the rule the health-arbiter judges votes by:
 * without multi-region, every other node of the cluster that is peer-checked (in no unit whose
 * check is off); with it, the other members of the node's units whose check is on (the default
 * unit excluded). A node that is not peer-checked probes no one.
 *
 * Nodes with the same scope (the same enabled units, or "the whole cluster") share one member
 * list and its digest, so a node's desired-state version costs one small hash however large its
 * peer set: a reconnect storm of thousands of nodes does not rebuild thousands of lists.
 */
export class PeerIndex {
  private readonly byUnit = new Map<string, NodeEntry[]>();
  private readonly checked: NodeEntry[] = [];
  private readonly scopes = new Map<string, Scope>();
  private byAddress?: Map<string, NodeEntry>;

  constructor(
    private readonly cluster: ClusterEntry,
    readonly nodes: ReadonlyMap<string, NodeEntry>,
    private readonly defaultProbePort: number,
  ) {
    const disabled = cluster.disabledUnits;
    for (const n of nodes.values()) {
      if (!n.present) continue;
      for (const u of n.units) {
        let list = this.byUnit.get(u);
        if (!list) this.byUnit.set(u, (list = []));
        list.push(n);
      }
      if (!n.units.some((u) => disabled.has(u))) this.checked.push(n);
    }
  }

  /** The node's peer set (sorted by name). */
  peersOf(me: NodeEntry): Peer[] {
    const scope = this.scopeOf(me);
    return scope ? scope.members.filter((p) => p.name !== me.name) : [];
  }

  /** Is `other` in `me`'s peer set (probe results about anyone else are dropped)? */
  isPeer(me: NodeEntry, other: string): boolean {
    const peer = this.nodes.get(other);
    if (!peer?.present || !me.present || peer.name === me.name) return false;
    const disabled = this.cluster.disabledUnits;
    if (this.cluster.multiRegion) {
      const mine = enabledUnits(me, disabled);
      return enabledUnits(peer, disabled).some((u) => mine.includes(u));
    }
    return !me.units.some((u) => disabled.has(u)) && !peer.units.some((u) => disabled.has(u));
  }

  /** The present node whose name or one of whose addresses is `host` (proxy routing). */
  nodeByHost(host: string): NodeEntry | undefined {
    const named = this.nodes.get(host);
    if (named?.present) return named;
    if (!this.byAddress) {
      this.byAddress = new Map();
      for (const n of this.nodes.values()) if (n.present) for (const ip of n.ips) this.byAddress.set(ip, n);
    }
    return this.byAddress.get(host.replace(/^\[|\]$/g, ''));
  }

  /** What the node should do now. */
  desiredStateOf(me: NodeEntry, settings: AgentSettingsValues): DesiredStateValue {
    const scope = this.scopeOf(me);
    const remoteLogin = this.cluster.remoteLogin;
    const version = createHash('sha256')
      .update(
        JSON.stringify([
          scope?.digest ?? '',
          me.name,
          remoteLogin,
          settings,
          me.podsDigest,
          me.servicesDigest,
        ]),
      )
      .digest('hex')
      .slice(0, 16);
    return {
      version,
      peers: () => this.peersOf(me),
      remoteLogin,
      settings,
      podsDigest: me.podsDigest,
      servicesDigest: me.servicesDigest,
    };
  }

  private scopeOf(me: NodeEntry): Scope | undefined {
    if (!me.present) return undefined;
    const disabled = this.cluster.disabledUnits;
    let key: string;
    if (this.cluster.multiRegion) {
      const units = enabledUnits(me, disabled);
      if (units.length === 0) return undefined;
      key = units.sort().join('\n');
    } else {
      if (me.units.some((u) => disabled.has(u))) return undefined;
      key = '*';
    }
    let scope = this.scopes.get(key);
    if (!scope) {
      const members = new Map<string, NodeEntry>();
      if (key === '*') for (const n of this.checked) members.set(n.name, n);
      else for (const u of key.split('\n')) for (const n of this.byUnit.get(u) ?? []) members.set(n.name, n);
      const list: Peer[] = [];
      for (const n of members.values()) {
        const ip = n.ips[0];
        if (!ip) continue;
        const host = ip.includes(':') ? `[${ip}]` : ip;
        list.push({ name: n.name, address: `${host}:${n.probePort ?? this.defaultProbePort}` });
      }
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const digest = createHash('sha256').update(JSON.stringify(list)).digest('hex');
      this.scopes.set(key, (scope = { members: list, digest }));
    }
    return scope;
  }
}

function enabledUnits(n: NodeEntry, disabled: ReadonlySet<string>): string[] {
  return n.units.filter((u) => u !== DEFAULT_UNIT && !disabled.has(u));
}
