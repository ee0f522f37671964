import { createHash } from 'node:crypto';
import type { gridSchemas } from '@edgeplane/contracts';
import {
  advanceRollout,
  parseGrid,
  place,
  renderGrid,
  startRollout,
  unitRevision,
  type Grid,
  type NodeVerdict,
  type NodeView,
  type PodObservation,
  type PodPlacement,
  type RenderedChild,
  type RolloutState,
  type UnitRef,
  type UnitEndpoints,
  type UnitTarget,
  type UnitView,
  type WorkloadGrid,
  unitEndpoints,
} from '../domain/index.js';
import { manifestOf, type ActiveGridState, type GridChild } from '../grid/grid.state.js';
import type { GridWorld, WorldNode } from '../read-model/world.queries.js';

/**
 * Allocatable of a node whose agent never reported its own (NodePodsStatusReported.allocatable:
 * agents with a runtime report it on every connection; the cluster service's node events carry
 * none): generous, so only cordons, taints, selectors and verdicts limit placement there.
 */
export const ASSUMED_ALLOCATABLE = { cpuMilli: 64_000, memoryBytes: 256 * 2 ** 30, pods: 110 };

/** What one grid should look like now: its children, its pods' places, its rollout. */
export interface GridPlan {
  children: GridChild[];
  placements: PodPlacement[];
  /** the rollout as the health gate moves it (null: none needed) */
  rollout: RolloutState | null;
  /** the pods placed on nodes, with their specs: the agents' desired state */
  assignments: { node: string; pod: gridSchemas.PodAssignment }[];
  /** workload grids: their pods as ServiceGrids select them (labels, node, readiness) */
  observations: PodObservation[];
  /** ServiceGrids: per unit of the group, the endpoints */
  endpoints?: UnitEndpoints[];
}

const hashOf = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);

function nodeView(n: WorldNode, reported?: GridWorld['allocatable']): NodeView {
  // No verdict yet: the arbiter has not judged the node (or runs nowhere); placement may use it.
  // `Unknown` is the arbiter's own word for "registered, never heard": no new pods, no endpoints.
  const verdict: NodeVerdict =
    n.verdict === 'NotReadyNoExecute' || n.verdict === 'NotReadyNoSchedule' || n.verdict === 'Unknown'
      ? n.verdict
      : 'Ready';
  return {
    name: n.name,
    labels: n.labels,
    taints: n.taints,
    unschedulable: n.cordoned,
    draining: n.draining,
    verdict,
    allocatable: reported?.get(n.name) ?? ASSUMED_ALLOCATABLE,
  };
}

/** The units of the grid's group, each with its labels and member nodes. */
export function unitViews(world: GridWorld, group: string): UnitView[] {
  const names = world.groups.get(group) ?? [];
  return names.map((name) => ({
    name,
    labels: world.units.get(name) ?? {},
    nodes: world.nodes.filter((n) => n.units.includes(name)).map((n) => nodeView(n, world.allocatable)),
    frozen: world.nodes.some((n) => n.units.includes(name) && n.darkUnits.includes(name)),
  }));
}

/** The stored manifest of one generation, as the domain's Grid (validated again). */
export function gridAt(grid: ActiveGridState, generation: number): Grid {
  return parseGrid(manifestOf(grid, generation));
}

/**
 * The grid reconciler's pure core: from the grid's recorded state and the world (units of its
 * group, their nodes, verdicts), the desired children, pod placements and rollout. Unchanged
 * inputs give an unchanged plan, so the decider appends nothing on a second run.
 */
export function planGrid(
  grid: ActiveGridState,
  world: GridWorld,
  now: string,
  /** the pods of the cluster's workload grids (planned first): what a ServiceGrid selects */
  workloadPods: readonly PodObservation[] = [],
): GridPlan {
  const units = unitViews(world, grid.gridUniqKey);
  const refs: UnitRef[] = units.map((u) => ({ name: u.name, labels: u.labels }));
  const latest = gridAt(grid, grid.generation);
  if (latest.kind === 'ServiceGrid') {
    const result = renderGrid(latest, refs);
    const service = result.service;
    const children = service
      ? units.map((u) => ({
          unit: u.name,
          name: service.metadata.name,
          revision: hashOf(service),
          generation: grid.generation,
        }))
      : [];
    const endpoints = unitEndpoints(latest, units, workloadPods);
    return { children, placements: [], rollout: null, assignments: [], observations: [], endpoints };
  }
  const rollout = nextRollout(grid, latest, refs, units, world, now);
  // Units grouped by the revision they run under the rollout; each group rendered from its manifest.
  const byRevision = new Map<number, UnitRef[]>();
  for (const u of refs) {
    const revision = rollout ? unitRevision(rollout, u.name) : grid.generation;
    byRevision.set(revision, [...(byRevision.get(revision) ?? []), u]);
  }
  const rendered: { generation: number; child: RenderedChild }[] = [];
  for (const [generation, us] of [...byRevision].sort(([a], [b]) => a - b)) {
    const result = renderGrid(gridAt(grid, generation), us);
    for (const child of result.children) rendered.push({ generation, child });
  }
  const previous: PodPlacement[] = Object.entries(grid.pods).map(([pod, p]) => ({
    pod,
    child: p.child,
    unit: p.unit,
    node: p.node,
    phase: p.node ? 'Scheduled' : 'Pending',
    ...(p.node ? {} : { reason: p.reason }),
    templateHash: p.revision,
    requests: { cpuMilli: 0, memoryBytes: 0 },
  }));
  const { placements } = place({ pods: rendered.flatMap((r) => r.child.pods), units, previous });
  const children = rendered
    .map(({ generation, child }) => ({
      unit: child.unit,
      name: child.name,
      revision: hashOf(child.object),
      generation,
    }))
    .sort((a, b) => a.unit.localeCompare(b.unit));
  const byChild = new Map(rendered.map((r) => [r.child.name, r.child]));
  const assignments = placements.flatMap((p) => {
    const child = byChild.get(p.child);
    if (!p.node || !child) return [];
    const template = (child.object.spec as { template?: { spec?: Record<string, unknown> } } | undefined)
      ?.template;
    return [
      {
        node: p.node,
        pod: {
          grid: grid.name,
          kind: grid.kind,
          child: p.child,
          unit: p.unit,
          pod: p.pod,
          namespace: latest.metadata.namespace,
          revision: p.templateHash,
          spec: template?.spec ?? {},
        },
      },
    ];
  });
  // unitEndpoints drops the pods of evicted and never-heard nodes itself
  const labelsOf = new Map(rendered.flatMap((r) => r.child.pods.map((p) => [p.name, p.labels] as const)));
  const observations: PodObservation[] = placements.map((p) => ({
    ...observe(world, p.pod, p.node, p.templateHash, now),
    unit: p.unit,
    labels: labelsOf.get(p.pod) ?? {},
  }));
  return { children, placements, rollout, assignments, observations };
}

/**
 * The rollout after this reconcile: a new generation over existing children starts one (units
 * whose pod template did not change are done at once); one in flight is moved on by the health
 * gate. Readiness comes from placement until agents report pod status: a pod on a node that is
 * neither NotReady nor gone counts as ready since it got that node.
 */
function nextRollout(
  grid: ActiveGridState,
  latest: WorkloadGrid,
  refs: UnitRef[],
  units: UnitView[],
  world: GridWorld,
  now: string,
): RolloutState | null {
  let rollout = grid.rollout;
  // Without a rollout yet, every child is on the first generation it got: a new generation over
  // existing children is what starts one.
  const handled = rollout
    ? rollout.toRevision === grid.generation || (rollout.undo && rollout.fromRevision === grid.generation)
    : grid.children.every((c) => c.generation === grid.generation);
  if (!handled) {
    // The revision the units run now, as their children record it (the domain's rollout has one
    // "from" revision for the units still waiting: the one most units run, never a failed target
    // that only the first wave reached, nor the bad revision an undo is moving away from).
    const fromRevision = mostRun(grid.children.map((c) => c.generation)) ?? rollout?.toRevision ?? null;
    const targetHashes = new Map(renderGrid(latest, refs).children.map((c) => [c.unit, c.templateHash]));
    const unchangedUnits = Object.values(grid.pods)
      .filter((p) => targetHashes.get(p.unit) === p.revision)
      .map((p) => p.unit);
    rollout = startRollout({
      grid: latest,
      units: refs,
      toRevision: grid.generation,
      fromRevision,
      unchangedUnits,
      now,
    });
  }
  if (!rollout) return null;
  if (rollout.phase !== 'Progressing') return rollout;
  const target = gridAt(grid, rollout.toRevision);
  const targets: UnitTarget[] =
    target.kind === 'ServiceGrid'
      ? []
      : renderGrid(target, refs).children.map((c) => ({
          unit: c.unit,
          templateHash: c.templateHash,
          replicas: c.replicas,
        }));
  const usable = new Map(
    units
      .flatMap((u) => u.nodes)
      .map((n) => [n.name, n.verdict !== 'NotReadyNoExecute' && n.verdict !== 'NotReadyNoSchedule']),
  );
  const observations: PodObservation[] = Object.entries(grid.pods).map(([pod, p]) => {
    const { readySince, ...seen } = observe(world, pod, p.node, p.revision, p.since);
    const ready = seen.ready && p.node !== null && usable.get(p.node) === true;
    return {
      ...seen,
      unit: p.unit,
      ready,
      ...(ready && readySince ? { readySince } : {}),
      ...(p.node === null ? { reason: p.reason } : {}),
    };
  });
  return advanceRollout(rollout, targets, observations, now);
}

/** Every pod assigned per node, sorted: what NodePodsAssigned carries. */
export function assignmentsByNode(plans: GridPlan[]): Map<string, gridSchemas.PodAssignment[]> {
  const byNode = new Map<string, gridSchemas.PodAssignment[]>();
  for (const plan of plans)
    for (const a of plan.assignments) byNode.set(a.node, [...(byNode.get(a.node) ?? []), a.pod]);
  for (const pods of byNode.values())
    pods.sort((a, b) => a.pod.localeCompare(b.pod) || a.grid.localeCompare(b.grid));
  return byNode;
}

/** The value most often in the list (the higher one on a tie); undefined for an empty list. */
function mostRun(generations: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const g of generations) counts.set(g, (counts.get(g) ?? 0) + 1);
  let best: number | undefined;
  for (const [g, n] of counts)
    if (best === undefined || n > (counts.get(best) ?? 0) || (n === counts.get(best) && g > best)) best = g;
  return best;
}

/**
 * What is known of one pod's health. A node whose agent reports pod status is believed: the pod
 * is ready when the agent says so for the revision placed there (a pod it does not list is not
 * ready yet). A node that never reported (no runtime on it yet, as in tests without agents) falls
 * back to placement: a pod counts as ready from the moment it got the node (`since`).
 */
function observe(
  world: GridWorld,
  pod: string,
  node: string | null,
  templateHash: string,
  since: string,
): Omit<PodObservation, 'unit'> {
  const base = { pod, node, templateHash };
  if (node === null) return { ...base, ready: false };
  const reported = world.podStatus.get(node);
  if (!reported) return { ...base, ready: true, readySince: since };
  const status = Object.hasOwn(reported, pod) ? reported[pod] : undefined;
  if (!status || (status.revision !== undefined && status.revision !== templateHash))
    return { ...base, ready: false, reason: 'not reported by the node yet' };
  return {
    ...base,
    ready: status.ready,
    ...(status.ready && status.readySince ? { readySince: status.readySince } : {}),
    ...(status.failed ? { failed: true } : {}),
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.ip ? { ip: status.ip } : {}),
  };
}
