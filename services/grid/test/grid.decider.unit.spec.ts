import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
} from '@edgeplane/es-kit';
import { gridDecider, type GridEvent } from '../src/grid/grid.decider.js';
import { parseGridYaml, startRollout, type PodPlacement } from '../src/domain/index.js';

const spec = DeciderSpecification(gridDecider);
const CLUSTER = 'cls-1';
const NOW = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T12:05:00.000Z';
const base = { clusterId: CLUSTER, name: 'echo', now: NOW };
const manifest = (image: string) => ({ kind: 'DeploymentGrid', spec: { gridUniqKey: 'location', image } });

const applied = (generation: number, image = 'v1', at = NOW): GridEvent => ({
  type: 'GridApplied',
  data: {
    clusterId: CLUSTER,
    name: 'echo',
    kind: 'DeploymentGrid',
    gridUniqKey: 'location',
    generation,
    manifest: manifest(image),
    at,
  },
});
const apply = (image: string) =>
  ({
    type: 'ApplyGrid',
    ...base,
    kind: 'DeploymentGrid',
    gridUniqKey: 'location',
    manifest: manifest(image),
  }) as const;
const child = (unit: string, revision = 'r1') => ({ unit, name: `echo-${unit}`, revision, generation: 1 });
const placed = (pod: string, unit: string, node: string | null, reason?: string): PodPlacement => ({
  pod,
  child: `echo-${unit}`,
  unit,
  node,
  phase: node ? 'Scheduled' : 'Pending',
  ...(reason ? { reason } : {}),
  templateHash: 'h1',
  requests: { cpuMilli: 0, memoryBytes: 0 },
});
const scheduled = (
  pod: string,
  unit: string,
  node: string,
  previousNode: string | null = null,
): GridEvent => ({
  type: 'PodScheduled',
  data: {
    clusterId: CLUSTER,
    grid: 'echo',
    child: `echo-${unit}`,
    unit,
    pod,
    node,
    previousNode,
    revision: 'h1',
    at: NOW,
  },
});

describe('Grid — ApplyGrid', () => {
  it('creates generation 1', () => {
    spec
      .given([])
      .when(apply('v1'))
      .then([applied(1)]);
  });

  it('the same manifest again changes nothing', () => {
    spec
      .given([applied(1)])
      .when(apply('v1'))
      .thenNothingHappens();
  });

  it('a changed manifest is the next generation', () => {
    spec
      .given([applied(1)])
      .when(apply('v2'))
      .then([applied(2, 'v2')]);
  });

  it('refuses another kind under the same name', () => {
    spec
      .given([applied(1)])
      .when({ ...apply('v1'), kind: 'StatefulSetGrid' })
      .thenThrows(AlreadyExistsError);
  });
});

describe('Grid — ReconcileGrid', () => {
  it('records new children and places pods', () => {
    spec
      .given([applied(1)])
      .when({
        type: 'ReconcileGrid',
        ...base,
        children: [child('guangzhou'), child('beijing')],
        placements: [placed('p-1', 'beijing', 'bj-1')],
      })
      .then([
        {
          type: 'GridChildrenChanged',
          data: {
            clusterId: CLUSTER,
            name: 'echo',
            kind: 'DeploymentGrid',
            children: [child('beijing'), child('guangzhou')],
            added: ['beijing', 'guangzhou'],
            removed: [],
            updated: [],
            at: NOW,
          },
        },
        scheduled('p-1', 'beijing', 'bj-1'),
      ]);
  });

  const settled: GridEvent[] = [
    applied(1),
    {
      type: 'GridChildrenChanged',
      data: {
        clusterId: CLUSTER,
        name: 'echo',
        kind: 'DeploymentGrid',
        children: [child('beijing')],
        added: ['beijing'],
        removed: [],
        updated: [],
        at: NOW,
      },
    },
    scheduled('p-1', 'beijing', 'bj-1'),
  ];

  it('is idempotent: the recorded outcome again appends nothing', () => {
    spec
      .given(settled)
      .when({
        type: 'ReconcileGrid',
        ...base,
        children: [child('beijing')],
        placements: [placed('p-1', 'beijing', 'bj-1')],
      })
      .thenNothingHappens();
  });

  it('a pod moved to another node is scheduled again with its previous node', () => {
    spec
      .given(settled)
      .when({
        type: 'ReconcileGrid',
        ...base,
        children: [child('beijing')],
        placements: [placed('p-1', 'beijing', 'bj-2')],
      })
      .then([scheduled('p-1', 'beijing', 'bj-2', 'bj-1')]);
  });

  it('a pod with no room stays Pending with the reason; a pod no longer desired is removed', () => {
    const events = spec
      .given(settled)
      .when({
        type: 'ReconcileGrid',
        ...base,
        children: [child('beijing')],
        placements: [placed('p-2', 'beijing', null, '0/2 nodes are available')],
      })
      .events();
    expect(
      events.map((e) => [e.type, (e.data as { pod: string }).pod, (e.data as { pending: boolean }).pending]),
    ).toEqual([
      ['PodUnscheduled', 'p-2', true],
      ['PodUnscheduled', 'p-1', false],
    ]);
  });

  it('a unit leaving the group removes its child', () => {
    const events = spec
      .given(settled)
      .when({ type: 'ReconcileGrid', ...base, children: [], placements: [] })
      .events();
    expect(events[0]).toMatchObject({
      type: 'GridChildrenChanged',
      data: { children: [], removed: ['beijing'] },
    });
  });

  it('a deleted grid is not reconciled', () => {
    spec
      .given([
        ...settled,
        {
          type: 'GridDeleted',
          data: { clusterId: CLUSTER, name: 'echo', kind: 'DeploymentGrid', at: LATER },
        },
      ])
      .when({ type: 'ReconcileGrid', ...base, children: [child('beijing')], placements: [] })
      .thenNothingHappens();
  });
});

describe('Grid — DeleteGrid and rollout commands', () => {
  it('deletes a live grid once', () => {
    spec
      .given([applied(1)])
      .when({ type: 'DeleteGrid', ...base })
      .then([
        { type: 'GridDeleted', data: { clusterId: CLUSTER, name: 'echo', kind: 'DeploymentGrid', at: NOW } },
      ]);
  });

  it('an unknown grid is NOT_FOUND', () => {
    spec
      .given([])
      .when({ type: 'DeleteGrid', ...base })
      .thenThrows(NotFoundError);
  });

  it('pause, resume and undo need a rollout', () => {
    for (const type of ['PauseRollout', 'ResumeRollout', 'UndoRollout'] as const)
      spec
        .given([applied(1)])
        .when({ type, ...base })
        .thenThrows(IllegalStateError);
  });
});

describe('Grid — AdvanceRollout turns the domain rollout into wave events', () => {
  const { grids } = parseGridYaml(`
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: {name: echo}
spec:
  gridUniqKey: location
  rolloutStrategy: {waveSize: 1, soakSeconds: 0}
  template:
    replicas: 1
    selector: {matchLabels: {app: echo}}
    template:
      metadata: {labels: {app: echo}}
      spec: {containers: [{name: web, image: busybox}]}
`);
  const grid = grids[0]!.grid;
  if (grid.kind === 'ServiceGrid') throw new Error('expected a workload grid');
  const units = [
    { name: 'beijing', labels: {} },
    { name: 'guangzhou', labels: {} },
  ];
  const started = startRollout({ grid, units, toRevision: 2, fromRevision: 1, now: NOW });

  it('a new rollout starts its first wave', () => {
    const events = spec
      .given([applied(1), applied(2, 'v2')])
      .when({ type: 'AdvanceRollout', ...base, next: started })
      .events();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'RolloutWaveStarted',
        data: expect.objectContaining({ wave: 0, waves: 2, units: ['beijing'] }),
      }),
    ]);
  });

  it('the same rollout again (only its time stamp moved) appends nothing', () => {
    const first = spec
      .given([applied(1), applied(2, 'v2')])
      .when({ type: 'AdvanceRollout', ...base, next: started })
      .events();
    spec
      .given([applied(1), applied(2, 'v2'), ...first])
      .when({ type: 'AdvanceRollout', ...base, next: { ...started, updatedAt: LATER } })
      .thenNothingHappens();
  });

  it('the next wave completes the first one and starts the second', () => {
    const first = spec
      .given([applied(1), applied(2, 'v2')])
      .when({ type: 'AdvanceRollout', ...base, next: started })
      .events();
    const next = {
      ...started,
      currentWave: 1,
      units: {
        beijing: { state: 'Done' as const, doneAt: LATER },
        guangzhou: { state: 'Updating' as const, startedAt: LATER },
      },
    };
    const events = spec
      .given([applied(1), applied(2, 'v2'), ...first])
      .when({ type: 'AdvanceRollout', ...base, next })
      .events();
    expect(events.map((e) => [e.type, (e.data as { wave: number }).wave])).toEqual([
      ['RolloutWaveCompleted', 0],
      ['RolloutWaveStarted', 1],
    ]);
  });
});
