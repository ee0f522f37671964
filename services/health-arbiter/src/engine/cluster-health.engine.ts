import type { NodeVerdictChangedData } from '@edgeplane/contracts';
import { DEFAULT_UNIT } from '../settings/settings.state.js';
import { judge, tickChanges, type Judgement } from './cluster-health.decide.js';
import { advance, inScope, joinUnit, leaveUnit, recheckCloud, scopeOf } from './cluster-health.membership.js';
import {
  createEngineState,
  markDirty,
  newNodeRec,
  type EngineOptions,
  type EngineSettings,
  type EngineState,
  type EngineStats,
  type NodeRec,
  type PersistedVerdict,
  type PublishedVerdict,
} from './cluster-health.state.js';
import { explanationOf, publishedVerdicts, type Explanation } from './cluster-health.views.js';

export interface ProbeResultInput {
  peer: string;
  healthy: boolean;
}

const MAX_EARLY_HEARTBEATS = 100_000;

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
 *      (in no unit, but membership not known up to N's last contact → NotReadyNoSchedule
 *      membership-catching-up: a lagging view never evicts)
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
 *
 * Layout: this class is the engine's API (inputs, restart safety, tick, queries) over a plain
 * state (./cluster-health.state.ts); the unit / scope / cloud bookkeeping is in
 * ./cluster-health.membership.ts, the decision table and the tick's decision step in
 * ./cluster-health.decide.ts, the explanations in ./cluster-health.views.ts.
 */
export class ClusterHealthEngine {
  private readonly st: EngineState;

  constructor(
    readonly clusterId: string,
    options: EngineOptions = {},
  ) {
    this.st = createEngineState(clusterId, options);
  }

  // ───────────────────────────── inputs: settings, nodes, membership ─────────────────────────────

  applySettings(next: EngineSettings): void {
    const st = this.st;
    const prev = st.settings;
    st.settings = { ...next, disabledUnits: [...next.disabledUnits] };
    st.disabled = new Set(next.disabledUnits);
    if (prev.graceMs !== next.graceMs) {
      st.recheckAllCloud = true;
      for (const rec of st.nodes.values()) rec.hbScheduledFor = Number.NaN;
    }
    if (
      prev.multiRegion !== next.multiRegion ||
      prev.disabledUnits.length !== next.disabledUnits.length ||
      prev.disabledUnits.some((u) => !st.disabled.has(u))
    ) {
      st.scopeVersion++;
    }
    st.allDirty = true;
  }

  getSettings(): EngineSettings {
    return { ...this.st.settings, disabledUnits: [...this.st.settings.disabledUnits] };
  }

  /** A node joined (or is known at start). Idempotent; `units` optional (membership may come later). */
  upsertNode(name: string, registeredAt: number, units?: readonly string[]): void {
    const st = this.st;
    let rec = st.nodes.get(name);
    if (!rec) {
      rec = newNodeRec(name, registeredAt);
      st.nodes.set(name, rec);
      st.scopeVersion++;
      const early = st.earlyHeartbeats.get(name);
      if (early !== undefined) {
        st.earlyHeartbeats.delete(name);
        rec.lastHeartbeat = early;
      }
      const restored = st.pendingRestore.get(name);
      if (restored) {
        st.pendingRestore.delete(name);
        this.seed(rec, restored);
      }
      recheckCloud(st, rec);
      markDirty(st, rec);
    }
    if (units) this.setNodeUnits(name, units);
  }

  removeNode(name: string): void {
    const st = this.st;
    const rec = st.nodes.get(name);
    if (!rec) return;
    this.setNodeUnits(name, []);
    rec.removed = true;
    st.nodes.delete(name);
    st.lost.delete(rec);
    st.dirty.delete(rec);
    st.gateHeld.delete(rec);
    st.scopeVersion++;
    st.allDirty = true;
  }

  /** The node's NodeUnits (from nodepool's NodeMembershipChanged.units); replaces the previous set. */
  setNodeUnits(name: string, units: readonly string[]): void {
    const st = this.st;
    const rec = st.nodes.get(name);
    if (!rec) return;
    const next = [...new Set(units)].filter((u) => u !== DEFAULT_UNIT && u !== '').sort();
    if (next.length === rec.units.length && next.every((u, i) => u === rec.units[i])) return;
    const nextSet = new Set(next);
    for (const u of rec.units) if (!nextSet.has(u)) leaveUnit(st, rec, u);
    const prevSet = new Set(rec.units);
    for (const u of next) if (!prevSet.has(u)) joinUnit(st, rec, u);
    rec.units = next;
    st.scopeVersion++;
    st.allDirty = true;
  }

  /**
   * Every membership and node event published before `at` has been applied to this engine: a
   * lost node in no unit whose last contact is older than that may now be judged by the
   * standard rule (see EngineState.membershipKnownAt).
   */
  setMembershipKnownAt(at: number): void {
    const st = this.st;
    if (at <= st.membershipKnownAt) return;
    st.membershipKnownAt = at;
    for (const rec of st.gateHeld) markDirty(st, rec);
    st.gateHeld.clear();
  }

  // ───────────────────────────── inputs: signals ─────────────────────────────

  /** The cloud received a heartbeat of `node` at `receivedAt` (receipt clock, never the agent's). */
  observeHeartbeat(node: string, receivedAt: number): void {
    const st = this.st;
    st.counters.heartbeats++;
    const rec = st.nodes.get(node);
    if (!rec) {
      // Heartbeat before the node's join event was consumed: keep it for upsertNode.
      st.counters.heartbeatsUnknownNode++;
      const prev = st.earlyHeartbeats.get(node);
      if (
        (prev === undefined && st.earlyHeartbeats.size < MAX_EARLY_HEARTBEATS) ||
        (prev !== undefined && receivedAt > prev)
      ) {
        st.earlyHeartbeats.set(node, receivedAt);
      }
      return;
    }
    if (rec.lastHeartbeat !== undefined && receivedAt <= rec.lastHeartbeat) return;
    const firstEver = rec.lastHeartbeat === undefined;
    rec.lastHeartbeat = receivedAt;
    recheckCloud(st, rec);
    if (firstEver) markDirty(st, rec);
  }

  /**
   * A probe report from `reporter` received at `receivedAt`: replaces the reporter's vote about each
   * peer it names. Results about itself, unknown nodes, or nodes outside its peer set are ignored.
   * Returns the number of results accepted.
   */
  observeProbeReport(reporter: string, results: readonly ProbeResultInput[], receivedAt: number): number {
    const st = this.st;
    st.counters.reports++;
    const r = st.nodes.get(reporter);
    if (!r) {
      st.counters.reportsUnknownReporter++;
      st.counters.resultsIgnored += results.length;
      return 0;
    }
    if (receivedAt < r.lastReportAt) {
      // Out of order (older than the latest report we hold): every vote in it is superseded.
      st.counters.resultsIgnored += results.length;
      return 0;
    }
    const rScope = scopeOf(st, r);
    const ttl = st.settings.voteTtlMs;
    let accepted = 0;
    let hearsPeers = false;
    if (rScope.checked) {
      for (const result of results) {
        if (result.peer === reporter) continue;
        const p = st.nodes.get(result.peer);
        if (!p || !inScope(st, rScope, scopeOf(st, p))) continue;
        accepted++;
        const healthy = result.healthy === true;
        if (healthy) hearsPeers = true;
        const vote = p.votes.get(r);
        if (!vote) {
          p.votes.set(r, { reporter: r, healthy, at: receivedAt });
          if (p.cloudLost) markDirty(st, p);
        } else {
          if (receivedAt < vote.at) continue;
          if (vote.healthy !== healthy || vote.at + ttl <= receivedAt) {
            vote.healthy = healthy;
            if (p.cloudLost) markDirty(st, p);
          }
          vote.at = receivedAt;
        }
      }
    }
    st.counters.resultsAccepted += accepted;
    st.counters.resultsIgnored += results.length - accepted;
    r.lastReportAt = receivedAt;
    if (r.hearsPeers !== hearsPeers) {
      r.hearsPeers = hearsPeers;
      // The reporter started or stopped abstaining: every lost node it voted on may change.
      for (const p of st.lost) if (p.votes.has(r)) markDirty(st, p);
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
    const st = this.st;
    for (const p of persisted) {
      const rec = st.nodes.get(p.node);
      if (rec) this.seed(rec, p);
      else st.pendingRestore.set(p.node, p);
    }
    st.holdUntil = options.windowStart + Math.max(st.settings.graceMs, st.settings.voteTtlMs);
  }

  /** Epoch ms until which changes are held, or undefined when not holding (at `now`). */
  holdingUntil(now: number): number | undefined {
    return now < this.st.holdUntil ? this.st.holdUntil : undefined;
  }

  private seed(rec: NodeRec, p: PersistedVerdict): void {
    rec.current = { verdict: p.verdict, rule: p.rule, since: p.since };
    rec.history = p.history ? p.history.slice(-this.st.historyLimit) : [];
  }

  // ───────────────────────────── evaluation ─────────────────────────────

  /**
   * Advances to `now` and returns the verdict changes (only nodes whose verdict differs from the
   * published one). Nothing is returned while a restart hold lasts.
   */
  tick(now: number): NodeVerdictChangedData[] {
    const st = this.st;
    advance(st, now);
    if (now < st.holdUntil) return [];
    if (st.holdUntil !== Number.NEGATIVE_INFINITY) {
      st.holdUntil = Number.NEGATIVE_INFINITY;
      st.allDirty = true;
    }
    return tickChanges(st, now);
  }

  /** The decision table applied to `node` at `now` (advances the engine's clock, never publishes). */
  evaluate(node: string, now: number): Judgement | undefined {
    advance(this.st, now);
    const rec = this.st.nodes.get(node);
    return rec ? judge(this.st, rec, now, true) : undefined;
  }

  /** F-HE-6: the cloud's last contact, every peer's latest vote with its age, the quorum, the rule, the history. */
  explain(node: string, now: number): Explanation | undefined {
    advance(this.st, now);
    const rec = this.st.nodes.get(node);
    return rec ? explanationOf(this.st, rec, now) : undefined;
  }

  /** The published verdict of every node (sorted by node). */
  listVerdicts(): ({ node: string } & PublishedVerdict)[] {
    return publishedVerdicts(this.st);
  }

  stats(): EngineStats {
    return { nodes: this.st.nodes.size, ...this.st.counters };
  }
}
