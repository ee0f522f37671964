import { describe, expect, it } from 'vitest';
import {
  place,
  renderGrid,
  type PodPlacement,
  type PodSpecRef,
  type UnitView,
} from '../../src/domain/index.js';
import { DEPLOYMENT_GRID, node, unit, workload } from './fixtures.js';

/** Pods of the echo grid (3 replicas, 100m / 64Mi each) for these units. */
function podsFor(units: UnitView[], text = DEPLOYMENT_GRID): PodSpecRef[] {
  return renderGrid(workload(text), units).children.flatMap((c) => c.pods);
}

const nodesOf = (placements: PodPlacement[]) => Object.fromEntries(placements.map((p) => [p.pod, p.node]));

describe('placement inside the unit', () => {
  const beijing = unit('beijing', [node('bj-1'), node('bj-2')]);
  const guangzhou = unit('guangzhou', [node('gz-1'), node('gz-2'), node('gz-3')]);

  it('places every pod on a node of its own unit, spread across the unit', () => {
    const units = [beijing, guangzhou];
    const { placements } = place({ pods: podsFor(units), units, previous: [] });
    expect(placements).toHaveLength(6);
    for (const p of placements) {
      expect(p.phase).toBe('Scheduled');
      const own = units.find((u) => u.name === p.unit)?.nodes.map((n) => n.name);
      expect(own).toContain(p.node);
    }
    const gz = placements
      .filter((p) => p.unit === 'guangzhou')
      .map((p) => p.node)
      .sort();
    expect(gz).toEqual(['gz-1', 'gz-2', 'gz-3']);
    const bj = placements
      .filter((p) => p.unit === 'beijing')
      .map((p) => p.node)
      .sort();
    expect(bj).toEqual(['bj-1', 'bj-1', 'bj-2']);
  });

  it('is stable: re-running with unchanged input moves nothing', () => {
    const units = [beijing, guangzhou];
    const pods = podsFor(units);
    const first = place({ pods, units, previous: [] });
    const second = place({ pods, units, previous: first.placements });
    expect(second.moved).toEqual([]);
    expect(second.placements).toEqual(first.placements);
  });

  it('never uses a cordoned node for new pods, and does not move pods already on it', () => {
    const cordoned = unit('beijing', [node('bj-1', { unschedulable: true }), node('bj-2')]);
    const { placements } = place({ pods: podsFor([cordoned]), units: [cordoned], previous: [] });
    expect(placements.every((p) => p.node === 'bj-2')).toBe(true);
    // already running there before the cordon: stays
    const before = place({ pods: podsFor([beijing]), units: [beijing], previous: [] });
    const after = place({ pods: podsFor([cordoned]), units: [cordoned], previous: before.placements });
    expect(after.moved).toEqual([]);
  });

  it('taints: NoSchedule/NoExecute keep pods off unless tolerated; PreferNoSchedule does not', () => {
    const tainted = unit('beijing', [
      node('bj-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      node('bj-2', { taints: [{ key: 'soft', value: '', effect: 'PreferNoSchedule' }] }),
    ]);
    const first = place({ pods: podsFor([tainted]), units: [tainted], previous: [] });
    expect(first.placements.every((p) => p.node === 'bj-2')).toBe(true);
    const tolerant = DEPLOYMENT_GRID.replace(
      '        containers:',
      '        tolerations: [{ key: dedicated, operator: Equal, value: gpu, effect: NoSchedule }]\n        containers:',
    );
    const second = place({ pods: podsFor([tainted], tolerant), units: [tainted], previous: [] });
    // tolerated: bj-1 is usable, and preferred over bj-2's untolerated PreferNoSchedule taint
    expect(second.placements.every((p) => p.node === 'bj-1')).toBe(true);
  });

  it('nodeSelector and required node affinity are matched against node labels', () => {
    const labelled = unit('beijing', [
      node('bj-1', { labels: { disk: 'ssd' } }),
      node('bj-2', { labels: { disk: 'hdd' } }),
    ]);
    const ssd = DEPLOYMENT_GRID.replace(
      '        containers:',
      '        nodeSelector: { disk: ssd }\n        containers:',
    );
    expect(
      place({ pods: podsFor([labelled], ssd), units: [labelled], previous: [] }).placements.every(
        (p) => p.node === 'bj-1',
      ),
    ).toBe(true);
    const affinity = DEPLOYMENT_GRID.replace(
      '        containers:',
      `        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{ matchExpressions: [{ key: disk, operator: NotIn, values: [ssd] }] }]
        containers:`,
    );
    expect(
      place({ pods: podsFor([labelled], affinity), units: [labelled], previous: [] }).placements.every(
        (p) => p.node === 'bj-2',
      ),
    ).toBe(true);
  });

  it('no room: Pending with the scheduler-style reason', () => {
    const full = unit('beijing', [
      node('bj-1', { unschedulable: true }),
      node('bj-2', { allocatable: { cpuMilli: 50, memoryBytes: 2 ** 30, pods: 10 } }),
      node('bj-3', { allocatable: { cpuMilli: 50, memoryBytes: 2 ** 30, pods: 10 } }),
    ]);
    const { placements } = place({ pods: podsFor([full]), units: [full], previous: [] });
    expect(placements.every((p) => p.phase === 'Pending' && p.node === null)).toBe(true);
    expect(placements[0]?.reason).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.',
    );
  });

  it('requests count against allocatable minus what is placed', () => {
    // 250m allocatable: two 100m pods fit, the third does not
    const small = unit('beijing', [
      node('bj-1', { allocatable: { cpuMilli: 250, memoryBytes: 2 ** 30, pods: 10 } }),
    ]);
    const { placements } = place({ pods: podsFor([small]), units: [small], previous: [] });
    expect(placements.filter((p) => p.phase === 'Scheduled')).toHaveLength(2);
    expect(placements.find((p) => p.phase === 'Pending')?.reason).toBe(
      '0/1 nodes are available: 1 Insufficient cpu.',
    );
  });

  it('an eviction verdict moves the node’s pods to other nodes of the same unit only', () => {
    const units = [beijing, guangzhou];
    const before = place({ pods: podsFor(units), units, previous: [] });
    const evicted = unit('guangzhou', [
      node('gz-1', { verdict: 'NotReadyNoExecute' }),
      node('gz-2'),
      node('gz-3'),
    ]);
    const after = place({
      pods: podsFor([beijing, evicted]),
      units: [beijing, evicted],
      previous: before.placements,
    });
    const onGz1 = before.placements.filter((p) => p.node === 'gz-1').map((p) => p.pod);
    expect(onGz1).toHaveLength(1);
    expect(after.moved).toEqual([
      {
        pod: onGz1[0],
        from: 'gz-1',
        to: expect.stringMatching(/^gz-[23]$/),
        why: 'node gz-1 was evicted (verdict NotReadyNoExecute)',
      },
    ]);
    // nothing else moved; beijing untouched
    const b = nodesOf(before.placements);
    const a = nodesOf(after.placements);
    for (const pod of Object.keys(b)) if (pod !== onGz1[0]) expect(a[pod]).toBe(b[pod]);
    // a NoSchedule verdict (cloud lost, peers vouch) keeps pods where they are
    const cutOff = unit('guangzhou', [
      node('gz-1', { verdict: 'NotReadyNoSchedule' }),
      node('gz-2'),
      node('gz-3'),
    ]);
    expect(
      place({ pods: podsFor([beijing, cutOff]), units: [beijing, cutOff], previous: before.placements })
        .moved,
    ).toEqual([]);
  });

  it('a drain moves the node’s pods inside the unit; with no room left they go Pending', () => {
    const before = place({ pods: podsFor([beijing]), units: [beijing], previous: [] });
    const drained = unit('beijing', [node('bj-1', { draining: true, unschedulable: true }), node('bj-2')]);
    const after = place({ pods: podsFor([drained]), units: [drained], previous: before.placements });
    expect(after.placements.every((p) => p.node === 'bj-2')).toBe(true);
    expect(after.moved.every((m) => m.from === 'bj-1' && m.why === 'node bj-1 is drained')).toBe(true);
    const bothDrained = unit('beijing', [node('bj-1', { draining: true }), node('bj-2', { draining: true })]);
    const none = place({ pods: podsFor([bothDrained]), units: [bothDrained], previous: before.placements });
    expect(none.placements.every((p) => p.phase === 'Pending')).toBe(true);
    expect(none.placements[0]?.reason).toBe('0/2 nodes are available: 2 node(s) were unschedulable.');
  });

  it('a frozen (dark) unit keeps its pods where they are, even on evicted nodes', () => {
    const before = place({ pods: podsFor([beijing]), units: [beijing], previous: [] });
    const dark = unit(
      'beijing',
      [node('bj-1', { verdict: 'NotReadyNoExecute' }), node('bj-2', { verdict: 'NotReadyNoExecute' })],
      {},
      true,
    );
    const after = place({ pods: podsFor([dark]), units: [dark], previous: before.placements });
    expect(after.moved).toEqual([]);
    expect(after.placements).toEqual(before.placements);
  });

  it('scaling down removes pods, scaling up adds them spread', () => {
    const before = place({ pods: podsFor([guangzhou]), units: [guangzhou], previous: [] });
    const down = place({
      pods: podsFor([guangzhou], DEPLOYMENT_GRID.replace('replicas: 3', 'replicas: 1')),
      units: [guangzhou],
      previous: before.placements,
    });
    expect(down.placements).toHaveLength(1);
    expect(down.removed).toHaveLength(2);
    expect(down.moved).toEqual([]);
  });

  it('PreferNoSchedule: avoided while another node has room; untolerated NoSchedule named in the reason', () => {
    const soft = unit('beijing', [
      node('bj-1', { taints: [{ key: 'soft', value: '', effect: 'PreferNoSchedule' }] }),
      node('bj-2'),
    ]);
    expect(
      place({ pods: podsFor([soft]), units: [soft], previous: [] }).placements.every(
        (p) => p.node === 'bj-2',
      ),
    ).toBe(true);
    const hard = unit('beijing', [
      node('bj-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ]);
    expect(place({ pods: podsFor([hard]), units: [hard], previous: [] }).placements[0]?.reason).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.',
    );
  });
});
