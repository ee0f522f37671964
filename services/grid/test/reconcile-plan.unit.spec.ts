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
