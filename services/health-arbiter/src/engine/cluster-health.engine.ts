import {
  MAX_EVIDENCE_PEERS,
  type HealthTaint,
  type NodeVerdictChangedData,
  type ReadyCondition,
  type Verdict,
  type VerdictEvidence,
  type VerdictRule,
} from '@edgeplane/contracts';
import { DEFAULT_HEALTH_SETTINGS, DEFAULT_UNIT, type HealthSettings } from '../settings/settings.decider.js';
import { TimerWheel } from './timer-wheel.js';
import { conditionOf, ruleText, taintsOf } from './verdict-table.js';

/**
 * The health-arbiter's pure, in-memory core for ONE cluster (SPEC F-HE-1…6). No I/O, no clock:
 * every observation carries its receipt time and every query its `now` (epoch ms). The service
 * layer feeds it node/membership events, settings, and the heartbeat/probe signals, calls
 * `tick(now)` about once a second and records the returned changes as NodeVerdictChanged events.
 *
 * Decision table for node N (first match wins; "lost" = no heartbeat RECEIVED for ≥ grace):
 *   1. never heard and registered < grace ago             → Unknown            awaiting-first-heartbeat
 *   2. cloud hears N                                      → Ready              cloud-contact
 *   3. lost, global no-eviction mode                      → NotReadyNoSchedule no-eviction-mode
 *   4. lost, N not peer-checked: multi-region and N in    → NotReadyNoExecute  standard-no-unit /
 *      no unit, or health check switched off for its unit(s)                    standard-check-disabled
 *   5. lost, a unit of N's scope (≥ 2 nodes) entirely dark → NotReadyNoSchedule unit-dark-freeze
 *   6. lost, unhealthy votes > half of N's peer set        → NotReadyNoExecute  peers-confirm-down
 *   7. lost, healthy votes > half of N's peer set          → NotReadyNoSchedule peers-vouch
 *   8. lost, otherwise (no quorum)                         → NotReadyNoSchedule no-quorum
 *
 * Why rule 8 is NoSchedule and rule 4 NoExecute: stock Kubernetes puts NoSchedule+NoExecute on a
 * node 40 s after its last heartbeat and evicts 300 s later, even when a whole zone is dark
 * (research/peers.md §0.6). That is the "standard behaviour" a node opted out of edge-health gets
 * (rule 4; guide: "a node in no unit is not health-checked"). A node that IS peer-checked has
 * asked for eviction to need proof: SPEC F-HE-2 "too few fresh reports (no quorum) never produces
 * an eviction by itself", and SuperEdge's admission webhook strips NoExecute unless peers voted
 * the node down (research/superedge.md §1.7). So missing evidence freezes, it never evicts.
 *
 * Votes: a probe report from A replaces A's vote about each peer it names, stamped with the
 * RECEIPT time (the reporter's clock is ignored). A vote counts while younger than the vote TTL,
 * when A is in N's peer set, and when A is not isolated: a reporter whose latest report holds no
 * healthy peer "only hears itself" and abstains (SuperEdge's self-only rule; it also defuses
 * superedge#433, where nodes that could probe no one voted everyone down). Quorum = more than half
 * of N's peer set: floor(|peers| / 2) + 1 (2 → 2, 3 → 2, 4 → 3, 5 → 3); a node alone has no quorum.
 *
 * Peer set: without multi-region, every other peer-checked node of the cluster; with it, the
 * other members of N's units whose switch is on (union, if N is in several). The default unit
 * `unit-node-all` is ignored (it is not a site). Per-unit switch off → that unit's nodes are not
 * peer-checked (rule 4) unless, in multi-region mode, another enabled unit covers them.
 *
 * Freeze (rule 5): if the cloud hears none of the nodes of a unit in N's scope (2 or more members),
 * a site outage and failures look the same from the cloud: nothing in it is evicted. Stock
 * Kubernetes evicts a fully dark zone; this is deliberately stricter (peers.md §8).
 *
 * Only verdict changes are returned (a change of the rule alone, e.g. peers-vouch → no-quorum,
 * keeps the taints and is visible through `explain`, not as an event).
 *
 * Cost: an observation is O(1) (plus O(units of the reporter)); a tick evaluates only nodes made
 * dirty by an observation that can change their verdict, or whose grace deadline / earliest vote
 * expiry passed (timer wheel). Evaluating a node is O(votes about it).
 */

export interface EngineSettings {
  multiRegion: boolean;
  noEviction: boolean;
  graceMs: number;
  voteTtlMs: number;
  disabledUnits: readonly string[];
}

export function engineSettingsFrom(settings: HealthSettings): EngineSettings {
  return {
    multiRegion: settings.multiRegion,
    noEviction: settings.noEviction,
    graceMs: settings.graceSeconds * 1000,
    voteTtlMs: settings.voteTtlSeconds * 1000,
    disabledUnits: settings.disabledUnits,
  };
}

export interface EngineOptions {
  settings?: EngineSettings;
  /** Timer resolution: deadlines are noticed at most this late (plus the tick period). */
  timerResolutionMs?: number;
  /** Verdict history kept per node for explain. */
  historyLimit?: number;
}

export interface ProbeResultInput {
  peer: string;
  healthy: boolean;
}

export interface VerdictHistoryEntry {
  at: string;
  verdict: Verdict;
  previous: Verdict | null;
  rule: VerdictRule;
}

/** A verdict as persisted (folded from the node-verdict stream), used to seed after a restart. */
export interface PersistedVerdict {
  node: string;
  verdict: Verdict;
  rule: VerdictRule;
  since: string;
  history?: VerdictHistoryEntry[];
}

export interface PeerVoteView {
  peer: string;
  healthy: boolean;
  ageMs: number;
  fresh: boolean;
  abstained: boolean;
  counted: boolean;
}

export interface Judgement {
  verdict: Verdict;
  rule: VerdictRule;
  taints: HealthTaint[];
  condition: ReadyCondition;
  evidence: VerdictEvidence;
}

export interface Explanation {
  clusterId: string;
  node: string;
  /** The published verdict (what consumers act on). */
  current: { verdict: Verdict; rule: VerdictRule; since: string } | null;
  /** What the table says right now (differs from `current` only during a restart hold or between ticks). */
  computed: Judgement;
  explanation: string;
  holdingUntil: string | null;
  cloud: { lastSeen: string | null; ageMs: number | null; lost: boolean; graceMs: number };
  peerCheck: { checked: boolean; scope: 'cluster' | 'units' | 'none'; units: string[]; peerSetSize: number };
  /** Every in-scope reporter's latest vote about the node, newest first (stale ones included). */
  peers: PeerVoteView[];
  quorum: VerdictEvidence['quorum'];
  frozen: boolean;
  darkUnits: string[];
  history: VerdictHistoryEntry[];
}

export interface EngineStats {
  nodes: number;
  heartbeats: number;
  heartbeatsUnknownNode: number;
  reports: number;
  reportsUnknownReporter: number;
  resultsAccepted: number;
  resultsIgnored: number;
  evaluations: number;
  changes: number;
}

interface Vote {
  reporter: NodeRec;
  healthy: boolean;
  at: number;
}

interface Scope {
  version: number;
  checked: boolean;
  /** Units whose members are N's peers (and whose darkness freezes N). */
  units: UnitRec[];
  /** -1 until computed. */
  peerSetSize: number;
}

interface NodeRec {
  name: string;
  registeredAt: number;
  lastHeartbeat: number | undefined;
  cloudLost: boolean;
  /** Site units the node is in (sorted, default unit excluded). */
  units: string[];
  /** Incoming votes: reporter → its latest vote about this node (keyed by record: identity hashing is cheap). */
  votes: Map<NodeRec, Vote>;
  lastReportAt: number;
  /** The latest report of this node (as a reporter) held at least one healthy in-scope peer. */
  hearsPeers: boolean;
  scope: Scope;
  hbScheduledFor: number;
  checkScheduledFor: number;
  removed: boolean;
  current: { verdict: Verdict; rule: VerdictRule; since: string } | undefined;
  history: VerdictHistoryEntry[];
}

interface UnitRec {
  name: string;
  members: Map<string, NodeRec>;
  /** Members the cloud currently hears (not lost). */
  alive: number;
}

const NO_SCOPE: Scope = { version: -1, checked: false, units: [], peerSetSize: 0 };
const MAX_EARLY_HEARTBEATS = 100_000;

export class ClusterHealthEngine {
  private settings: EngineSettings;
  private disabled: Set<string>;
  private readonly nodes = new Map<string, NodeRec>();
  private readonly units = new Map<string, UnitRec>();
  private readonly lost = new Set<NodeRec>();
  private readonly dirty = new Set<NodeRec>();
  private allDirty = false;
  private recheckAllCloud = false;
  private scopeVersion = 0;
  private checkedCount: { version: number; count: number } = { version: -1, count: 0 };
  private clock = Number.NEGATIVE_INFINITY;
  private readonly wheel: TimerWheel<NodeRec>;
  private readonly historyLimit: number;
  private holdUntil = Number.NEGATIVE_INFINITY;
  private readonly pendingRestore = new Map<string, PersistedVerdict>();
  private readonly earlyHeartbeats = new Map<string, number>();
  private readonly counters: Omit<EngineStats, 'nodes'> = {
    heartbeats: 0,
    heartbeatsUnknownNode: 0,
    reports: 0,
    reportsUnknownReporter: 0,
    resultsAccepted: 0,
    resultsIgnored: 0,
    evaluations: 0,
    changes: 0,
  };

  constructor(
    readonly clusterId: string,
    options: EngineOptions = {},
  ) {
    this.settings = options.settings ?? engineSettingsFrom(DEFAULT_HEALTH_SETTINGS);
    this.disabled = new Set(this.settings.disabledUnits);
    this.wheel = new TimerWheel(options.timerResolutionMs ?? 250);
    this.historyLimit = options.historyLimit ?? 20;
  }

  // ───────────────────────────── inputs: settings, nodes, membership ─────────────────────────────

  applySettings(next: EngineSettings): void {
    const prev = this.settings;
    this.settings = { ...next, disabledUnits: [...next.disabledUnits] };
    this.disabled = new Set(next.disabledUnits);
    if (prev.graceMs !== next.graceMs) {
      this.recheckAllCloud = true;
      for (const rec of this.nodes.values()) rec.hbScheduledFor = Number.NaN;
    }
    if (
      prev.multiRegion !== next.multiRegion ||
      prev.disabledUnits.length !== next.disabledUnits.length ||
      prev.disabledUnits.some((u) => !this.disabled.has(u))
    ) {
      this.scopeVersion++;
    }
    this.allDirty = true;
  }

  getSettings(): EngineSettings {
    return { ...this.settings, disabledUnits: [...this.settings.disabledUnits] };
  }

  /** A node joined (or is known at start). Idempotent; `units` optional (membership may come later). */
  upsertNode(name: string, registeredAt: number, units?: readonly string[]): void {
    let rec = this.nodes.get(name);
    if (!rec) {
      rec = {
        name,
        registeredAt,
        lastHeartbeat: undefined,
        cloudLost: false,
        units: [],
        votes: new Map(),
        lastReportAt: Number.NEGATIVE_INFINITY,
        hearsPeers: false,
        scope: NO_SCOPE,
        hbScheduledFor: Number.NaN,
        checkScheduledFor: Number.NEGATIVE_INFINITY,
        removed: false,
        current: undefined,
        history: [],
      };
      this.nodes.set(name, rec);
      this.scopeVersion++;
      const early = this.earlyHeartbeats.get(name);
      if (early !== undefined) {
        this.earlyHeartbeats.delete(name);
        rec.lastHeartbeat = early;
      }
      const restored = this.pendingRestore.get(name);
      if (restored) {
        this.pendingRestore.delete(name);
        this.seed(rec, restored);
      }
      this.recheckCloud(rec);
      this.markDirty(rec);
    }
    if (units) this.setNodeUnits(name, units);
  }

  removeNode(name: string): void {
    const rec = this.nodes.get(name);
    if (!rec) return;
    this.setNodeUnits(name, []);
    rec.removed = true;
    this.nodes.delete(name);
    this.lost.delete(rec);
    this.dirty.delete(rec);
    this.scopeVersion++;
    this.allDirty = true;
  }

  /** The node's NodeUnits (from nodepool's NodeMembershipChanged.units); replaces the previous set. */
  setNodeUnits(name: string, units: readonly string[]): void {
    const rec = this.nodes.get(name);
    if (!rec) return;
    const next = [...new Set(units)].filter((u) => u !== DEFAULT_UNIT && u !== '').sort();
    if (next.length === rec.units.length && next.every((u, i) => u === rec.units[i])) return;
    const nextSet = new Set(next);
    for (const u of rec.units) if (!nextSet.has(u)) this.leaveUnit(rec, u);
    const prevSet = new Set(rec.units);
    for (const u of next) if (!prevSet.has(u)) this.joinUnit(rec, u);
    rec.units = next;
    this.scopeVersion++;
    this.allDirty = true;
  }

  private joinUnit(rec: NodeRec, name: string): void {
    let unit = this.units.get(name);
    if (!unit) {
      unit = { name, members: new Map(), alive: 0 };
      this.units.set(name, unit);
    }
    const wasDark = unit.members.size >= 2 && unit.alive === 0;
    unit.members.set(rec.name, rec);
    if (!rec.cloudLost) unit.alive++;
    this.noteDarkness(unit, wasDark);
  }

  private leaveUnit(rec: NodeRec, name: string): void {
    const unit = this.units.get(name);
    if (!unit || !unit.members.has(rec.name)) return;
    const wasDark = unit.members.size >= 2 && unit.alive === 0;
    unit.members.delete(rec.name);
    if (!rec.cloudLost) unit.alive--;
    if (unit.members.size === 0) this.units.delete(name);
    this.noteDarkness(unit, wasDark);
  }

  private noteDarkness(unit: UnitRec, wasDark: boolean): void {
    const isDark = unit.members.size >= 2 && unit.alive === 0;
    if (isDark !== wasDark)
      for (const member of unit.members.values()) if (member.cloudLost) this.markDirty(member);
  }

  // ───────────────────────────── inputs: signals ─────────────────────────────

  /** The cloud received a heartbeat of `node` at `receivedAt` (receipt clock, never the agent's). */
  observeHeartbeat(node: string, receivedAt: number): void {
    this.counters.heartbeats++;
    const rec = this.nodes.get(node);
    if (!rec) {
      // Heartbeat before the node's join event was consumed: keep it for upsertNode.
      this.counters.heartbeatsUnknownNode++;
      const prev = this.earlyHeartbeats.get(node);
      if (
        (prev === undefined && this.earlyHeartbeats.size < MAX_EARLY_HEARTBEATS) ||
        (prev !== undefined && receivedAt > prev)
      ) {
        this.earlyHeartbeats.set(node, receivedAt);
      }
      return;
    }
    if (rec.lastHeartbeat !== undefined && receivedAt <= rec.lastHeartbeat) return;
    const firstEver = rec.lastHeartbeat === undefined;
    rec.lastHeartbeat = receivedAt;
    this.recheckCloud(rec);
    if (firstEver) this.markDirty(rec);
  }

  /**
   * A probe report from `reporter` received at `receivedAt`: replaces the reporter's vote about each
   * peer it names. Results about itself, unknown nodes, or nodes outside its peer set are ignored.
   * Returns the number of results accepted.
   */
  observeProbeReport(reporter: string, results: readonly ProbeResultInput[], receivedAt: number): number {
    this.counters.reports++;
    const r = this.nodes.get(reporter);
    if (!r) {
      this.counters.reportsUnknownReporter++;
      this.counters.resultsIgnored += results.length;
      return 0;
    }
    if (receivedAt < r.lastReportAt) {
      // Out of order (older than the latest report we hold): every vote in it is superseded.
      this.counters.resultsIgnored += results.length;
      return 0;
    }
    const rScope = this.scopeOf(r);
    const ttl = this.settings.voteTtlMs;
    let accepted = 0;
    let hearsPeers = false;
    if (rScope.checked) {
      for (const result of results) {
        if (result.peer === reporter) continue;
        const p = this.nodes.get(result.peer);
        if (!p || !this.inScope(rScope, this.scopeOf(p))) continue;
        accepted++;
        const healthy = result.healthy === true;
        if (healthy) hearsPeers = true;
        const vote = p.votes.get(r);
        if (!vote) {
          p.votes.set(r, { reporter: r, healthy, at: receivedAt });
          if (p.cloudLost) this.markDirty(p);
        } else {
          if (receivedAt < vote.at) continue;
          if (vote.healthy !== healthy || vote.at + ttl <= receivedAt) {
            vote.healthy = healthy;
            if (p.cloudLost) this.markDirty(p);
          }
          vote.at = receivedAt;
        }
      }
    }
    this.counters.resultsAccepted += accepted;
    this.counters.resultsIgnored += results.length - accepted;
    r.lastReportAt = receivedAt;
    if (r.hearsPeers !== hearsPeers) {
      r.hearsPeers = hearsPeers;
      // The reporter started or stopped abstaining: every lost node it voted on may change.
      for (const p of this.lost) if (p.votes.has(r)) this.markDirty(p);
    }
    return accepted;
  }

  // ───────────────────────────── restart safety ─────────────────────────────

  /**
   * Seeds the engine after a restart with the persisted verdicts (folded node-verdict streams) and
   * holds every change until `windowStart + max(grace, vote TTL)`, where `windowStart` is the
   * receipt time of the oldest signal still available for replay (the SIGNALS stream's first
   * message, or the start time if the stream came back empty). With a replayable window at least
   * that long the hold ends at the first tick and verdicts are recomputed from complete evidence;
   * with a shorter one, missing heartbeats cannot flap a persisted verdict to NotReady (or votes
   * to NoExecute) before a full grace/TTL window of live signals has been seen.
   * Call after the node set is loaded and before replaying signals (order is not required: seeds
   * for nodes not yet upserted wait for them).
   */
  restore(persisted: readonly PersistedVerdict[], options: { windowStart: number }): void {
    for (const p of persisted) {
      const rec = this.nodes.get(p.node);
      if (rec) this.seed(rec, p);
      else this.pendingRestore.set(p.node, p);
    }
    this.holdUntil = options.windowStart + Math.max(this.settings.graceMs, this.settings.voteTtlMs);
  }

  /** Epoch ms until which changes are held, or undefined when not holding (at `now`). */
  holdingUntil(now: number): number | undefined {
    return now < this.holdUntil ? this.holdUntil : undefined;
  }

  private seed(rec: NodeRec, p: PersistedVerdict): void {
    rec.current = { verdict: p.verdict, rule: p.rule, since: p.since };
    rec.history = p.history ? p.history.slice(-this.historyLimit) : [];
  }

  // ───────────────────────────── evaluation ─────────────────────────────

  /**
   * Advances to `now` and returns the verdict changes (only nodes whose verdict differs from the
   * published one). Nothing is returned while a restart hold lasts.
   */
  tick(now: number): NodeVerdictChangedData[] {
    this.advance(now);
    if (now < this.holdUntil) return [];
    if (this.holdUntil !== Number.NEGATIVE_INFINITY) {
      this.holdUntil = Number.NEGATIVE_INFINITY;
      this.allDirty = true;
    }
    const targets: Iterable<NodeRec> = this.allDirty ? [...this.nodes.values()] : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    const changes: NodeVerdictChangedData[] = [];
    const at = new Date(now).toISOString();
    for (const rec of targets) {
      if (rec.removed) continue;
      const quick = this.judge(rec, now, false);
      if (rec.current?.verdict === quick.verdict) continue;
      const full = this.judge(rec, now, true);
      const previous = rec.current?.verdict ?? null;
      rec.current = { verdict: full.verdict, rule: full.rule, since: at };
      rec.history.push({ at, verdict: full.verdict, previous, rule: full.rule });
      if (rec.history.length > this.historyLimit)
        rec.history.splice(0, rec.history.length - this.historyLimit);
      changes.push({
        clusterId: this.clusterId,
        node: rec.name,
        verdict: full.verdict,
        previous,
        taints: full.taints,
        condition: full.condition,
        rule: full.rule,
        evidence: full.evidence,
        at,
      });
    }
    this.counters.changes += changes.length;
    return changes;
  }

  /** The decision table applied to `node` at `now` (advances the engine's clock, never publishes). */
  evaluate(node: string, now: number): Judgement | undefined {
    this.advance(now);
    const rec = this.nodes.get(node);
    return rec ? this.judge(rec, now, true) : undefined;
  }

  /** F-HE-6: the cloud's last contact, every peer's latest vote with its age, the quorum, the rule, the history. */
  explain(node: string, now: number): Explanation | undefined {
    this.advance(now);
    const rec = this.nodes.get(node);
    if (!rec) return undefined;
    const peers: PeerVoteView[] = [];
    const computed = this.judge(rec, now, true, peers);
    const scope = this.scopeOf(rec);
    return {
      clusterId: this.clusterId,
      node,
      current: rec.current ? { ...rec.current } : null,
      computed,
      explanation: ruleText(computed.rule),
      holdingUntil: now < this.holdUntil ? new Date(this.holdUntil).toISOString() : null,
      cloud: {
        lastSeen: rec.lastHeartbeat === undefined ? null : new Date(rec.lastHeartbeat).toISOString(),
        ageMs: rec.lastHeartbeat === undefined ? null : Math.max(0, now - rec.lastHeartbeat),
        lost: rec.cloudLost,
        graceMs: this.settings.graceMs,
      },
      peerCheck: {
        checked: scope.checked,
        scope: computed.evidence.scope,
        units: scope.units.map((u) => u.name),
        peerSetSize: this.peerSetSize(rec),
      },
      peers,
      quorum: computed.evidence.quorum,
      frozen: computed.evidence.frozen,
      darkUnits: computed.evidence.darkUnits,
      history: rec.history.map((h) => ({ ...h })),
    };
  }

  /** The published verdict of every node (ListVerdicts). */
  listVerdicts(): { node: string; verdict: Verdict; rule: VerdictRule; since: string }[] {
    const out: { node: string; verdict: Verdict; rule: VerdictRule; since: string }[] = [];
    for (const rec of this.nodes.values()) if (rec.current) out.push({ node: rec.name, ...rec.current });
    return out.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  stats(): EngineStats {
    return { nodes: this.nodes.size, ...this.counters };
  }

  // ───────────────────────────── internals ─────────────────────────────

  private advance(now: number): void {
    if (now <= this.clock) return;
    this.clock = now;
    if (this.recheckAllCloud) {
      this.recheckAllCloud = false;
      for (const rec of this.nodes.values()) this.recheckCloud(rec);
    }
    this.wheel.due(now, (rec) => {
      if (rec.removed) return;
      this.recheckCloud(rec);
      // A lost node's entry is its earliest vote expiry (or its loss): re-evaluate it.
      if (rec.cloudLost) this.markDirty(rec);
    });
  }

  /** Cloud view of one node at the engine's clock; schedules its grace deadline while heard. */
  private recheckCloud(rec: NodeRec): void {
    const deadline =
      Math.max(rec.lastHeartbeat ?? Number.NEGATIVE_INFINITY, rec.registeredAt) + this.settings.graceMs;
    const lost = this.clock >= deadline;
    if (lost !== rec.cloudLost) this.setCloudLost(rec, lost);
    if (!lost && rec.hbScheduledFor !== deadline) {
      rec.hbScheduledFor = deadline;
      this.wheel.schedule(deadline, rec);
    }
  }

  private setCloudLost(rec: NodeRec, lost: boolean): void {
    rec.cloudLost = lost;
    if (lost) this.lost.add(rec);
    else this.lost.delete(rec);
    for (const name of rec.units) {
      const unit = this.units.get(name);
      if (!unit) continue;
      const wasDark = unit.members.size >= 2 && unit.alive === 0;
      unit.alive += lost ? -1 : 1;
      this.noteDarkness(unit, wasDark);
    }
    this.markDirty(rec);
  }

  private markDirty(rec: NodeRec): void {
    if (!this.allDirty) this.dirty.add(rec);
  }

  private scopeOf(rec: NodeRec): Scope {
    if (rec.scope.version === this.scopeVersion) return rec.scope;
    let units: UnitRec[];
    let checked: boolean;
    if (this.settings.multiRegion) {
      units = [];
      for (const name of rec.units) {
        const unit = this.units.get(name);
        if (unit && !this.disabled.has(name)) units.push(unit);
      }
      checked = units.length > 0;
    } else {
      checked = !rec.units.some((u) => this.disabled.has(u));
      units = [];
      if (checked)
        for (const name of rec.units) {
          const unit = this.units.get(name);
          if (unit) units.push(unit);
        }
    }
    rec.scope = { version: this.scopeVersion, checked, units, peerSetSize: -1 };
    return rec.scope;
  }

  private peerSetSize(rec: NodeRec): number {
    const scope = this.scopeOf(rec);
    if (!scope.checked) return 0;
    if (scope.peerSetSize >= 0) return scope.peerSetSize;
    let size: number;
    if (!this.settings.multiRegion) {
      size = this.clusterCheckedCount() - 1;
    } else if (scope.units.length === 1) {
      size = scope.units[0]!.members.size - 1;
    } else {
      const union = new Set<string>();
      for (const unit of scope.units) for (const name of unit.members.keys()) union.add(name);
      size = union.size - 1;
    }
    scope.peerSetSize = Math.max(0, size);
    return scope.peerSetSize;
  }

  private clusterCheckedCount(): number {
    if (this.checkedCount.version !== this.scopeVersion) {
      let count = 0;
      for (const rec of this.nodes.values()) if (this.scopeOf(rec).checked) count++;
      this.checkedCount = { version: this.scopeVersion, count };
    }
    return this.checkedCount.count;
  }

  /** Are two distinct nodes, with these scopes, in each other's peer set? (shared enabled unit; identity compare) */
  private inScope(a: Scope, b: Scope): boolean {
    if (!a.checked || !b.checked) return false;
    if (!this.settings.multiRegion) return true;
    for (const u of a.units) for (const v of b.units) if (u === v) return true;
    return false;
  }

  private judge(rec: NodeRec, now: number, detailed: boolean, peerViews?: PeerVoteView[]): Judgement {
    this.counters.evaluations++;
    const { voteTtlMs, noEviction, multiRegion } = this.settings;
    const scope = this.scopeOf(rec);
    const cloudLost = rec.cloudLost;

    // Cheap path: a node the cloud hears needs no vote counting to be judged.
    if (!cloudLost && !detailed) {
      const verdict: Verdict = rec.lastHeartbeat === undefined ? 'Unknown' : 'Ready';
      return this.result(
        verdict,
        verdict === 'Ready' ? 'cloud-contact' : 'awaiting-first-heartbeat',
        emptyEvidence(),
      );
    }

    const peerSetSize = this.peerSetSize(rec);
    const needed = Math.floor(peerSetSize / 2) + 1;
    let fresh = 0;
    let healthyVotes = 0;
    let unhealthyVotes = 0;
    let abstained = 0;
    let earliestExpiry = Number.POSITIVE_INFINITY;
    const counted: { peer: string; healthy: boolean; ageMs: number }[] | undefined = detailed
      ? []
      : undefined;
    if (scope.checked) {
      for (const vote of rec.votes.values()) {
        const reporter = vote.reporter;
        if (reporter.removed) {
          rec.votes.delete(reporter);
          continue;
        }
        if (!this.inScope(this.scopeOf(reporter), scope)) continue;
        const reporterName = reporter.name;
        const ageMs = Math.max(0, now - vote.at);
        const isFresh = vote.at + voteTtlMs > now;
        const abstains = isFresh && !reporter.hearsPeers;
        peerViews?.push({
          peer: reporterName,
          healthy: vote.healthy,
          ageMs,
          fresh: isFresh,
          abstained: abstains,
          counted: isFresh && !abstains,
        });
        if (!isFresh) continue;
        if (vote.at + voteTtlMs < earliestExpiry) earliestExpiry = vote.at + voteTtlMs;
        if (abstains) {
          abstained++;
          continue;
        }
        fresh++;
        if (vote.healthy) healthyVotes++;
        else unhealthyVotes++;
        counted?.push({ peer: reporterName, healthy: vote.healthy, ageMs });
      }
    }
    peerViews?.sort((a, b) => a.ageMs - b.ageMs || (a.peer < b.peer ? -1 : 1));

    const darkUnits: string[] = [];
    if (scope.checked)
      for (const unit of scope.units)
        if (unit.members.size >= 2 && unit.alive === 0) darkUnits.push(unit.name);

    // A lost node is re-evaluated when its earliest counted vote expires.
    if (cloudLost && earliestExpiry !== Number.POSITIVE_INFINITY) this.scheduleCheck(rec, earliestExpiry);

    let verdict: Verdict;
    let rule: VerdictRule;
    if (!cloudLost) {
      verdict = rec.lastHeartbeat === undefined ? 'Unknown' : 'Ready';
      rule = verdict === 'Ready' ? 'cloud-contact' : 'awaiting-first-heartbeat';
    } else if (noEviction) {
      verdict = 'NotReadyNoSchedule';
      rule = 'no-eviction-mode';
    } else if (!scope.checked) {
      verdict = 'NotReadyNoExecute';
      rule = multiRegion && rec.units.length === 0 ? 'standard-no-unit' : 'standard-check-disabled';
    } else if (darkUnits.length > 0) {
      verdict = 'NotReadyNoSchedule';
      rule = 'unit-dark-freeze';
    } else if (unhealthyVotes >= needed) {
      verdict = 'NotReadyNoExecute';
      rule = 'peers-confirm-down';
    } else if (healthyVotes >= needed) {
      verdict = 'NotReadyNoSchedule';
      rule = 'peers-vouch';
    } else {
      verdict = 'NotReadyNoSchedule';
      rule = 'no-quorum';
    }

    if (!detailed) return this.result(verdict, rule, emptyEvidence());
    counted!.sort((a, b) => a.ageMs - b.ageMs || (a.peer < b.peer ? -1 : 1));
    const evidence: VerdictEvidence = {
      cloudLastSeen: rec.lastHeartbeat === undefined ? null : new Date(rec.lastHeartbeat).toISOString(),
      cloudLost,
      scope: !scope.checked ? 'none' : multiRegion ? 'units' : 'cluster',
      units: scope.units.map((u) => u.name),
      peers: counted!.slice(0, MAX_EVIDENCE_PEERS),
      peersOmitted: Math.max(0, counted!.length - MAX_EVIDENCE_PEERS),
      quorum: { peerSetSize, needed, fresh, healthyVotes, unhealthyVotes, abstained },
      frozen: rule === 'unit-dark-freeze',
      darkUnits,
    };
    return this.result(verdict, rule, evidence);
  }

  private scheduleCheck(rec: NodeRec, at: number): void {
    if (rec.checkScheduledFor > this.clock && rec.checkScheduledFor <= at) return;
    rec.checkScheduledFor = at;
    this.wheel.schedule(at, rec);
  }

  private result(verdict: Verdict, rule: VerdictRule, evidence: VerdictEvidence): Judgement {
    return { verdict, rule, taints: taintsOf(verdict), condition: conditionOf(verdict, rule), evidence };
  }
}

function emptyEvidence(): VerdictEvidence {
  return {
    cloudLastSeen: null,
    cloudLost: false,
    scope: 'none',
    units: [],
    peers: [],
    peersOmitted: 0,
    quorum: { peerSetSize: 0, needed: 0, fresh: 0, healthyVotes: 0, unhealthyVotes: 0, abstained: 0 },
    frozen: false,
    darkUnits: [],
  };
}
