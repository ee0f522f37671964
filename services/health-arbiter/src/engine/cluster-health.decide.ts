import {
  MAX_EVIDENCE_PEERS,
  type HealthTaint,
  type NodeVerdictChangedData,
  type ReadyCondition,
  type Verdict,
  type VerdictEvidence,
  type VerdictRule,
} from '@edgeplane/contracts';
import { conditionOf, taintsOf } from '../verdict/verdict.rules.js';
import { inScope, peerSetSize, scheduleCheck, scopeOf } from './cluster-health.membership.js';
import { isDark, type EngineState, type NodeRec } from './cluster-health.state.js';

/** The decision table's answer for one node (see the table in ./cluster-health.engine.ts). */
export interface Judgement {
  verdict: Verdict;
  rule: VerdictRule;
  taints: HealthTaint[];
  condition: ReadyCondition;
  evidence: VerdictEvidence;
}

/** One reporter's latest vote about a node, as explain shows it. */
export interface PeerVoteView {
  peer: string;
  healthy: boolean;
  ageMs: number;
  fresh: boolean;
  abstained: boolean;
  counted: boolean;
}

/**
 * The tick's decision step (the clock already advanced, no restart hold): judges the dirty nodes
 * (or all) and returns the changes of their published verdicts, which it records in each node's
 * `current` and history. A quick judgement (no evidence built) settles the unchanged ones.
 */
export function tickChanges(st: EngineState, now: number): NodeVerdictChangedData[] {
  const targets: Iterable<NodeRec> = st.allDirty ? [...st.nodes.values()] : [...st.dirty];
  st.allDirty = false;
  st.dirty.clear();
  const changes: NodeVerdictChangedData[] = [];
  const at = new Date(now).toISOString();
  for (const rec of targets) {
    if (rec.removed) continue;
    const quick = judge(st, rec, now, false);
    if (rec.current?.verdict === quick.verdict) continue;
    const full = judge(st, rec, now, true);
    const previous = rec.current?.verdict ?? null;
    rec.current = { verdict: full.verdict, rule: full.rule, since: at };
    rec.history.push({ at, verdict: full.verdict, previous, rule: full.rule });
    if (rec.history.length > st.historyLimit) rec.history.splice(0, rec.history.length - st.historyLimit);
    changes.push({
      clusterId: st.clusterId,
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
  st.counters.changes += changes.length;
  return changes;
}

/**
 * The decision table applied to one node at `now`. `detailed` builds the evidence (the quick
 * form answers only verdict and rule); `peerViews` collects every in-scope vote for explain.
 */
export function judge(
  st: EngineState,
  rec: NodeRec,
  now: number,
  detailed: boolean,
  peerViews?: PeerVoteView[],
): Judgement {
  st.counters.evaluations++;
  const { voteTtlMs, noEviction, multiRegion } = st.settings;
  const scope = scopeOf(st, rec);
  const cloudLost = rec.cloudLost;

  // Cheap path: a node the cloud hears needs no vote counting to be judged.
  if (!cloudLost && !detailed) {
    const verdict: Verdict = rec.lastHeartbeat === undefined ? 'Unknown' : 'Ready';
    return judgement(
      verdict,
      verdict === 'Ready' ? 'cloud-contact' : 'awaiting-first-heartbeat',
      emptyEvidence(),
    );
  }

  const peers = peerSetSize(st, rec);
  const needed = Math.floor(peers / 2) + 1;
  let fresh = 0;
  let healthyVotes = 0;
  let unhealthyVotes = 0;
  let abstained = 0;
  let earliestExpiry = Number.POSITIVE_INFINITY;
  const counted: { peer: string; healthy: boolean; ageMs: number }[] | undefined = detailed ? [] : undefined;
  if (scope.checked) {
    for (const vote of rec.votes.values()) {
      const reporter = vote.reporter;
      if (reporter.removed) {
        rec.votes.delete(reporter);
        continue;
      }
      if (!inScope(st, scopeOf(st, reporter), scope)) continue;
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
  if (scope.checked) for (const unit of scope.units) if (isDark(unit)) darkUnits.push(unit.name);

  // A lost node is re-evaluated when its earliest counted vote expires.
  if (cloudLost && earliestExpiry !== Number.POSITIVE_INFINITY) scheduleCheck(st, rec, earliestExpiry);

  let verdict: Verdict;
  let rule: VerdictRule;
  if (!cloudLost) {
    verdict = rec.lastHeartbeat === undefined ? 'Unknown' : 'Ready';
    rule = verdict === 'Ready' ? 'cloud-contact' : 'awaiting-first-heartbeat';
  } else if (noEviction) {
    verdict = 'NotReadyNoSchedule';
    rule = 'no-eviction-mode';
  } else if (!scope.checked) {
    const noUnit = multiRegion && rec.units.length === 0;
    if (noUnit && st.membershipKnownAt < (rec.lastHeartbeat ?? rec.registeredAt)) {
      // In no unit as far as we know, but membership published since the cloud last heard the
      // node may not be applied yet (a lagging consumer): no eviction on a view that may be stale.
      st.gateHeld.add(rec);
      verdict = 'NotReadyNoSchedule';
      rule = 'membership-catching-up';
    } else {
      verdict = 'NotReadyNoExecute';
      rule = noUnit ? 'standard-no-unit' : 'standard-check-disabled';
    }
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

  if (!detailed) return judgement(verdict, rule, emptyEvidence());
  counted!.sort((a, b) => a.ageMs - b.ageMs || (a.peer < b.peer ? -1 : 1));
  const evidence: VerdictEvidence = {
    cloudLastSeen: rec.lastHeartbeat === undefined ? null : new Date(rec.lastHeartbeat).toISOString(),
    cloudLost,
    scope: !scope.checked ? 'none' : multiRegion ? 'units' : 'cluster',
    units: scope.units.map((u) => u.name),
    peers: counted!.slice(0, MAX_EVIDENCE_PEERS),
    peersOmitted: Math.max(0, counted!.length - MAX_EVIDENCE_PEERS),
    quorum: { peerSetSize: peers, needed, fresh, healthyVotes, unhealthyVotes, abstained },
    frozen: rule === 'unit-dark-freeze',
    darkUnits,
  };
  return judgement(verdict, rule, evidence);
}

function judgement(verdict: Verdict, rule: VerdictRule, evidence: VerdictEvidence): Judgement {
  return { verdict, rule, taints: taintsOf(verdict), condition: conditionOf(verdict, rule), evidence };
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
