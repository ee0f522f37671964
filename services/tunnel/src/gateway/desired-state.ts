import { createHash } from 'node:crypto';
import type { ClusterEntry, NodeEntry } from './directory.js';

/** The unit every node is in by default; it is not a site, so it makes no peers in multi-region mode. */
export const DEFAULT_UNIT = 'unit-node-all';

export interface AgentSettingsValues {
  heartbeatPeriodSeconds: number;
  probePeriodSeconds: number;
  probeTimeoutMs: number;
}

export interface DesiredStateValue {
  version: string;
  peers: { name: string; address: string }[];
  remoteLogin: boolean;
  settings: AgentSettingsValues;
}

/**
 * The nodes of one cluster indexed for peer sets (built once per change of the cluster, shared by
 * every node's desired state): present nodes by unit, and the peer-checked ones.
 */
export class PeerIndex {
  private readonly byUnit = new Map<string, NodeEntry[]>();
  private readonly checked: NodeEntry[] = [];
  private byAddress?: Map<string, NodeEntry>;

  constructor(
    private readonly cluster: ClusterEntry,
    readonly nodes: ReadonlyMap<string, NodeEntry>,
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

  /**
   * A node's peer set, by the rule the health-arbiter judges votes with: without multi-region,
   * every other node of the cluster that is peer-checked (in no unit whose check is off); with it,
   * the other members of the node's units whose check is on (the default unit excluded). A node
   * that is not peer-checked probes no one.
   */
  peersOf(me: NodeEntry): NodeEntry[] {
    if (!me.present) return [];
    const disabled = this.cluster.disabledUnits;
    if (this.cluster.multiRegion) {
      const units = me.units.filter((u) => u !== DEFAULT_UNIT && !disabled.has(u));
      if (units.length === 1) return (this.byUnit.get(units[0]!) ?? []).filter((n) => n.name !== me.name);
      const seen = new Map<string, NodeEntry>();
      for (const u of units)
        for (const n of this.byUnit.get(u) ?? []) if (n.name !== me.name) seen.set(n.name, n);
      return [...seen.values()];
    }
    if (me.units.some((u) => disabled.has(u))) return [];
    return this.checked.filter((n) => n.name !== me.name);
  }
}

/** What the node should do now; `version` is a hash of the content (equal versions, equal state). */
export function desiredStateOf(input: {
  cluster: ClusterEntry;
  me: NodeEntry;
  index: PeerIndex;
  settings: AgentSettingsValues;
  defaultProbePort: number;
}): DesiredStateValue {
  const peers: { name: string; address: string }[] = [];
  for (const n of input.index.peersOf(input.me)) {
    const ip = n.ips[0];
    if (!ip) continue;
    const host = ip.includes(':') ? `[${ip}]` : ip;
    peers.push({ name: n.name, address: `${host}:${n.probePort ?? input.defaultProbePort}` });
  }
  peers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const content = { peers, remoteLogin: input.cluster.remoteLogin, settings: input.settings };
  const version = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return { version, ...content };
}
