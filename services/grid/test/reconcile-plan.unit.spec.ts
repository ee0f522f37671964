import { describe, expect, it } from 'vitest';
import { parseGridYaml } from '../src/domain/index.js';
import {
  evolveGrid,
  initialGridState,
  type ActiveGridState,
  type GridEvent,
} from '../src/grid/grid.state.js';
import type { GridWorld, WorldNode } from '../src/read-model/world.queries.js';
import { assignmentsByNode, planGrid } from '../src/reconciler/reconcile-plan.js';

const NOW = '2026-11-28T12:00:00.000Z';

function gridOf(yaml: string): ActiveGridState {
  const { grid } = parseGridYaml(yaml).grids[0]!;
  const event: GridEvent = {
    type: 'GridApplied',
    data: {
      clusterId: 'c1',
      name: grid.metadata.name,
      kind: grid.kind,
      gridUniqKey: grid.spec.gridUniqKey,
      generation: 1,
      manifest: JSON.parse(JSON.stringify(grid)) as Record<string, unknown>,
      at: NOW,
    },
  };
  const state = evolveGrid(initialGridState, event);
  if (state.status !== 'active') throw new Error('not applied');
  return state;
}

const deployment = (replicas: number) => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: {name: echo}
spec:
  gridUniqKey: location
  template:
    replicas: ${replicas}
    selector: {matchLabels: {app: echo}}
    template:
      metadata: {labels: {app: echo}}
      spec: {containers: [{name: web, image: busybox}]}
`;

const node = (name: string, units: string[], extra: Partial<WorldNode> = {}): WorldNode => ({
  name,
  labels: { 'kubernetes.io/hostname': name },
  taints: [],
  cordoned: false,
  addresses: ['10.0.0.1'],
  units,
  verdict: null,
  draining: false,
  darkUnits: [],
  ...extra,
});

const world = (nodes: WorldNode[], groupUnits: string[]): GridWorld => ({
  clusterId: 'c1',
  nodes,
  units: new Map(groupUnits.map((u) => [u, {}])),
  groups: new Map([['location', groupUnits]]),
  podStatus: new Map(),
  allocatable: new Map(),
});

describe('planGrid — the reconciler core over the domain functions', () => {
  it('one child per unit of the group, pods only on nodes of their own unit', () => {
    const plan = planGrid(
      gridOf(deployment(2)),
      world(
        [
          node('bj-1', ['beijing']),
          node('bj-2', ['beijing']),
          node('gz-1', ['guangzhou']),
          node('x-1', ['other']),
        ],
        ['beijing', 'guangzhou'],
      ),
      NOW,
    );
    expect(plan.children.map((c) => [c.unit, c.name, c.generation])).toEqual([
      ['beijing', 'echo-beijing', 1],
      ['guangzhou', 'echo-guangzhou', 1],
    ]);
    const where = Object.fromEntries(plan.placements.map((p) => [p.pod, [p.unit, p.node]]));
    for (const [unit, n] of Object.values(where))
      expect(n?.startsWith(unit === 'beijing' ? 'bj-' : 'gz-')).toBe(true);
    expect(plan.placements).toHaveLength(4);
    expect([...assignmentsByNode([plan]).keys()].sort()).not.toContain('x-1');
  });

  it('a unit without nodes still gets its child; its pods are Pending with a reason', () => {
    const plan = planGrid(
      gridOf(deployment(1)),
      world([node('bj-1', ['beijing'])], ['beijing', 'empty']),
      NOW,
    );
    expect(plan.children.map((c) => c.unit)).toEqual(['beijing', 'empty']);
    const pending = plan.placements.filter((p) => p.unit === 'empty');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ node: null, phase: 'Pending' });
    expect(pending[0]!.reason).toBeTruthy();
  });

  it('a cordoned node or one judged NotReadyNoExecute takes no pod', () => {
    const plan = planGrid(
      gridOf(deployment(3)),
      world(
        [
          node('bj-1', ['beijing'], { cordoned: true }),
          node('bj-2', ['beijing'], { verdict: 'NotReadyNoExecute' }),
          node('bj-3', ['beijing']),
        ],
        ['beijing'],
      ),
      NOW,
    );
    expect(plan.placements.map((p) => p.node)).toEqual(['bj-3', 'bj-3', 'bj-3']);
  });

  it("the agents' reported allocatable bounds placement; a pod bigger than every node of its unit stays Pending with the reason", () => {
    const sized = (cpu: string, memory: string, replicas: number) => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: {name: echo}
spec:
  gridUniqKey: location
  template:
    replicas: ${replicas}
    selector: {matchLabels: {app: echo}}
    template:
      metadata: {labels: {app: echo}}
      spec:
        containers:
          - name: web
            image: busybox
            resources: {requests: {cpu: ${cpu}, memory: ${memory}}}
`;
    const w = world([node('bj-1', ['beijing']), node('bj-2', ['beijing'])], ['beijing']);
    w.allocatable.set('bj-1', { cpuMilli: 2000, memoryBytes: 4 * 2 ** 30, pods: 110 });
    w.allocatable.set('bj-2', { cpuMilli: 1000, memoryBytes: 1 * 2 ** 30, pods: 110 });
    // 1.5 CPU each: only bj-1 (2 CPUs) fits one; the second fits nowhere
    const plan = planGrid(gridOf(sized('1500m', '512Mi', 2)), w, NOW);
    const byNode = plan.placements.map((p) => p.node).sort();
    expect(byNode).toEqual(['bj-1', null].sort());
    const stuck = plan.placements.find((p) => p.node === null)!;
    expect(stuck.phase).toBe('Pending');
    expect(stuck.reason).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    // memory above every node: Pending, the reason names memory; without reports (assumed 256 GiB) it fits
    const big = planGrid(gridOf(sized('100m', '8Gi', 1)), w, NOW);
    expect(big.placements[0]).toMatchObject({ node: null, phase: 'Pending' });
    expect(big.placements[0]!.reason).toBe('0/2 nodes are available: 2 Insufficient memory.');
    const unreported = world([node('bj-1', ['beijing'])], ['beijing']);
    expect(planGrid(gridOf(sized('100m', '8Gi', 1)), unreported, NOW).placements[0]!.node).toBe('bj-1');
    // a node's pod count is bounded too
    w.allocatable.set('bj-1', { cpuMilli: 64_000, memoryBytes: 2 ** 36, pods: 1 });
    w.allocatable.set('bj-2', { cpuMilli: 64_000, memoryBytes: 2 ** 36, pods: 1 });
    const many = planGrid(gridOf(sized('100m', '64Mi', 3)), w, NOW);
    expect(many.placements.filter((p) => p.node !== null)).toHaveLength(2);
    expect(many.placements.find((p) => p.node === null)!.reason).toBe(
      '0/2 nodes are available: 2 Too many pods.',
    );
  });

  it('the pod specs for the agents carry the rendered containers', () => {
    const plan = planGrid(gridOf(deployment(1)), world([node('bj-1', ['beijing'])], ['beijing']), NOW);
    const pods = assignmentsByNode([plan]).get('bj-1')!;
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({
      grid: 'echo',
      kind: 'DeploymentGrid',
      unit: 'beijing',
      child: 'echo-beijing',
    });
    expect((pods[0]!.spec as { containers: { image: string }[] }).containers[0]!.image).toBe('busybox');
  });
});
