/**
 * Placement: a child's pods go only to nodes of the child's own unit, filtered like the
 * kube-scheduler's default filters, in its order — NodeUnschedulable (cordoned or draining),
 * TaintToleration (NoSchedule/NoExecute, including the taints a NotReady verdict implies),
 * NodeAffinity (nodeSelector and required node affinity), NodeResourcesFit (cpu, memory, pods
 * against allocatable minus what is already placed) — then spread: the node with the fewest pods
 * of the same child, then the fewest pods, then the name (deterministic) — after avoiding nodes
 * with PreferNoSchedule taints the pod does not tolerate.
 *
 * Stability: a placed pod stays on its node unless the node can no longer run it — it left the
 * unit, is draining, or has a NoExecute taint the pod does not tolerate (an eviction verdict).
 * Cordons, NoSchedule taints, label changes and tighter resources never move a running pod (as
 * in Kubernetes: IgnoredDuringExecution). Re-running with unchanged input moves nothing.
 * A frozen (dark) unit changes nothing: its placed pods stay, even on nodes it would evict from,
 * and its unplaced pods stay Pending until the unit is heard again.
 * No room: the pod is Pending with the scheduler's message, e.g.
 * `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.`
 */
import { nodeAffinityMatches, nodeSelectorMatches, tolerates, untoleratedTaint } from './selectors.js';
import { UNIT_MEMBER_VALUE } from './render.js';
import type {
  NodeView,
  PlacementInput,
  PlacementResult,
  PodPlacement,
  PodSpecRef,
  Taint,
  UnitView,
} from './types.js';

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** The node's taints plus those its health verdict implies (node-lifecycle controller's). */
export function effectiveTaints(node: NodeView): Taint[] {
  const implied: Taint[] =
    node.verdict === 'NotReadyNoExecute'
      ? [
          { key: UNREACHABLE_TAINT, value: '', effect: 'NoSchedule' },
          { key: UNREACHABLE_TAINT, value: '', effect: 'NoExecute' },
        ]
      : node.verdict === 'NotReadyNoSchedule'
        ? [{ key: UNREACHABLE_TAINT, value: '', effect: 'NoSchedule' }]
        : node.verdict === 'Unknown'
          ? [{ key: NOT_READY_TAINT, value: '', effect: 'NoSchedule' }]
          : [];
  const out = [...node.taints];
  for (const t of implied) if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  return out;
}

interface NodeState {
  node: NodeView;
  labels: Record<string, string>;
  taints: Taint[];
  cpu: number;
  memory: number;
  pods: number;
  perChild: Map<string, number>;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Why a running pod must leave its node, or undefined when it may stay. */
function evictionReason(pod: PodSpecRef, state: NodeState | undefined, nodeName: string): string | undefined {
  if (!state) return `node ${nodeName} left unit ${pod.unit}`;
  if (state.node.draining) return `node ${nodeName} is drained`;
  const taint = untoleratedTaint(state.taints, pod.tolerations, ['NoExecute']);
  if (taint) {
    return state.node.verdict === 'NotReadyNoExecute' && taint.key === UNREACHABLE_TAINT
      ? `node ${nodeName} was evicted (verdict NotReadyNoExecute)`
      : `node ${nodeName} has NoExecute taint ${taint.key}=${taint.value}`;
  }
  return undefined;
}

/** The scheduler's filter reasons for one node (empty = the pod fits). */
function filterReasons(pod: PodSpecRef, s: NodeState): string[] {
  const unschedulable =
    s.node.draining ||
    (s.node.unschedulable &&
      !pod.tolerations.some((t) =>
        tolerates(t, { key: UNSCHEDULABLE_TAINT, value: '', effect: 'NoSchedule' }),
      ));
  if (unschedulable) return ['node(s) were unschedulable'];
  const taint = untoleratedTaint(s.taints, pod.tolerations);
  if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value}}`];
  if (
    !nodeSelectorMatches(pod.nodeSelector, s.labels) ||
    !nodeAffinityMatches(pod.requiredNodeAffinity, s.labels)
  )
    return ["node(s) didn't match Pod's node affinity/selector"];
  const reasons: string[] = [];
  const a = s.node.allocatable;
  if (s.pods + 1 > a.pods) reasons.push('Too many pods');
  if (pod.requests.cpuMilli > 0 && s.cpu + pod.requests.cpuMilli > a.cpuMilli)
    reasons.push('Insufficient cpu');
  if (pod.requests.memoryBytes > 0 && s.memory + pod.requests.memoryBytes > a.memoryBytes)
    reasons.push('Insufficient memory');
  return reasons;
}

/** Untolerated PreferNoSchedule taints of a node (a soft preference, never a filter). */
function preferPenalty(pod: PodSpecRef, s: NodeState): number {
  return s.taints.filter(
    (t) => t.effect === 'PreferNoSchedule' && !pod.tolerations.some((tol) => tolerates(tol, t)),
  ).length;
}

/** `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.` (kube-scheduler's FitError). */
export function unschedulableMessage(nodeCount: number, reasons: Map<string, number>): string {
  if (nodeCount === 0) return '0/0 nodes are available: the unit has no nodes.';
  const parts = [...reasons.entries()].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${nodeCount} nodes are available: ${parts.join(', ')}.`;
}

function assign(s: NodeState, pod: PodSpecRef): void {
  s.cpu += pod.requests.cpuMilli;
  s.memory += pod.requests.memoryBytes;
  s.pods += 1;
  s.perChild.set(pod.child, (s.perChild.get(pod.child) ?? 0) + 1);
}

function placed(pod: PodSpecRef, node: string): PodPlacement {
  return {
    pod: pod.name,
    child: pod.child,
    unit: pod.unit,
    node,
    phase: 'Scheduled',
    templateHash: pod.templateHash,
    requests: pod.requests,
  };
}

function pending(pod: PodSpecRef, reason: string): PodPlacement {
  return {
    pod: pod.name,
    child: pod.child,
    unit: pod.unit,
    node: null,
    phase: 'Pending',
    reason,
    templateHash: pod.templateHash,
    requests: pod.requests,
  };
}

export function place(input: PlacementInput): PlacementResult {
  const units = new Map<string, UnitView>();
  for (const u of input.units) if (!units.has(u.name)) units.set(u.name, u);
  const previous = new Map<string, PodPlacement>();
  for (const p of input.previous) previous.set(p.pod, p);
  const desired = new Map<string, PodSpecRef>();
  for (const p of input.pods) if (!desired.has(p.name)) desired.set(p.name, p);

  const byUnit = new Map<string, PodSpecRef[]>();
  for (const pod of desired.values()) {
    const list = byUnit.get(pod.unit);
    if (list) list.push(pod);
    else byUnit.set(pod.unit, [pod]);
  }

  const placements: PodPlacement[] = [];
  const moved: PlacementResult['moved'] = [];
  const removed = input.previous.filter((p) => !desired.has(p.pod)).map((p) => p.pod);

  for (const [unitName, pods] of [...byUnit.entries()].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  )) {
    pods.sort(byName);
    const unit = units.get(unitName);
    if (!unit) {
      for (const pod of pods) {
        const reason = `unit ${unitName} is not known (not in the grid's group)`;
        placements.push(pending(pod, reason));
        const prev = previous.get(pod.name);
        if (prev?.node) moved.push({ pod: pod.name, from: prev.node, to: null, why: reason });
      }
      continue;
    }
    const nodes = new Map<string, NodeState>();
    for (const node of [...unit.nodes].sort(byName)) {
      // membership is the unit's node list; its label is implied even if the view lacks it
      nodes.set(node.name, {
        node,
        labels: { ...node.labels, [unitName]: UNIT_MEMBER_VALUE },
        taints: effectiveTaints(node),
        cpu: 0,
        memory: 0,
        pods: 0,
        perChild: new Map(),
      });
    }
    // pass 1: pods that keep their node (they count against it before anything new is placed)
    const toPlace: { pod: PodSpecRef; from: string | null; why: string }[] = [];
    for (const pod of pods) {
      const prev = previous.get(pod.name);
      if (!prev || prev.phase !== 'Scheduled' || !prev.node) {
        toPlace.push({ pod, from: null, why: prev ? 'was Pending' : 'new pod' });
        continue;
      }
      const state = nodes.get(prev.node);
      const reason = unit.frozen && state ? undefined : evictionReason(pod, state, prev.node);
      if (reason === undefined && state) {
        assign(state, pod);
        placements.push(placed(pod, prev.node));
      } else {
        toPlace.push({ pod, from: prev.node, why: reason ?? `node ${prev.node} is gone` });
      }
    }
    // pass 2: new, displaced and still-pending pods
    const states = [...nodes.values()];
    for (const { pod, from, why } of toPlace) {
      if (unit.frozen) {
        const reason = `unit ${unitName} is frozen (dark): no placement changes until it is heard again`;
        placements.push(pending(pod, reason));
        if (from) moved.push({ pod: pod.name, from, to: null, why });
        continue;
      }
      let best: NodeState | undefined;
      const reasons = new Map<string, number>();
      for (const s of states) {
        const r = filterReasons(pod, s);
        if (r.length > 0) {
          for (const reason of r) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          continue;
        }
        if (!best) {
          best = s;
          continue;
        }
        // TaintToleration scoring outweighs spreading (kube-scheduler weights 3 vs 2): avoid
        // PreferNoSchedule taints the pod does not tolerate, then spread, then the least loaded
        const pa = preferPenalty(pod, s);
        const pb = preferPenalty(pod, best);
        const a = s.perChild.get(pod.child) ?? 0;
        const b = best.perChild.get(pod.child) ?? 0;
        if (pa < pb || (pa === pb && (a < b || (a === b && s.pods < best.pods)))) best = s;
      }
      if (best) {
        assign(best, pod);
        placements.push(placed(pod, best.node.name));
        moved.push({ pod: pod.name, from, to: best.node.name, why });
      } else {
        placements.push(pending(pod, unschedulableMessage(states.length, reasons)));
        if (from) moved.push({ pod: pod.name, from, to: null, why });
      }
    }
  }
  placements.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  return { placements, moved, removed };
}
