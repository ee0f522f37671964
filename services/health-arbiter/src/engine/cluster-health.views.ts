import type { VerdictEvidence } from '@edgeplane/contracts';
import { ruleText } from '../verdict/verdict.rules.js';
import { judge, type Judgement, type PeerVoteView } from './cluster-health.decide.js';
import { peerSetSize, scopeOf } from './cluster-health.membership.js';
import type { EngineState, NodeRec, PublishedVerdict, VerdictHistoryEntry } from './cluster-health.state.js';

/** F-HE-6: why a node has its verdict. */
export interface Explanation {
  clusterId: string;
  node: string;
  /** The published verdict (what consumers act on). */
  current: PublishedVerdict | null;
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

/** The cloud's last contact, every peer's latest vote with its age, the quorum, the rule, the history (clock advanced). */
export function explanationOf(st: EngineState, rec: NodeRec, now: number): Explanation {
  const peers: PeerVoteView[] = [];
  const computed = judge(st, rec, now, true, peers);
  const scope = scopeOf(st, rec);
  return {
    clusterId: st.clusterId,
    node: rec.name,
    current: rec.current ? { ...rec.current } : null,
    computed,
    explanation: ruleText(computed.rule),
    holdingUntil: now < st.holdUntil ? new Date(st.holdUntil).toISOString() : null,
    cloud: {
      lastSeen: rec.lastHeartbeat === undefined ? null : new Date(rec.lastHeartbeat).toISOString(),
      ageMs: rec.lastHeartbeat === undefined ? null : Math.max(0, now - rec.lastHeartbeat),
      lost: rec.cloudLost,
      graceMs: st.settings.graceMs,
    },
    peerCheck: {
      checked: scope.checked,
      scope: computed.evidence.scope,
      units: scope.units.map((u) => u.name),
      peerSetSize: peerSetSize(st, rec),
    },
    peers,
    quorum: computed.evidence.quorum,
    frozen: computed.evidence.frozen,
    darkUnits: computed.evidence.darkUnits,
    history: rec.history.map((h) => ({ ...h })),
  };
}

/** The published verdict of every node, by node name. */
export function publishedVerdicts(st: EngineState): ({ node: string } & PublishedVerdict)[] {
  const out: ({ node: string } & PublishedVerdict)[] = [];
  for (const rec of st.nodes.values()) if (rec.current) out.push({ node: rec.name, ...rec.current });
  return out.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
