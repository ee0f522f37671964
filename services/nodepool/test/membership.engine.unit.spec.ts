import { describe, expect, it } from 'vitest';
import {
  autoUnitName,
  computeMembership,
  diffLayers,
  EMPTY_LAYER,
  operatorLabels,
  planAutoUnits,
  withUnit,
  type NodeLayer,
} from '../src/index.js';
import { group, guideWorld, node, unit, world } from './fixtures.js';

const U = 'nodeunits.superedge.io';
const labelsOf = (w: ReturnType<typeof world>, n: string) => computeMembership(w).nodes.get(n)?.labels;

describe('membership engine — the guide example (bj-1, bj-2, gz-1, gz-2, gz-3; location)', () => {
  it('puts location=<unit> and the unit label on every node', () => {
    const result = computeMembership(guideWorld());
    for (const n of ['bj-1', 'bj-2'])
      expect(result.nodes.get(n)?.labels).toEqual({ beijing: U, location: 'beijing' });
    for (const n of ['gz-1', 'gz-2', 'gz-3'])
      expect(result.nodes.get(n)?.labels).toEqual({ guangzhou: U, location: 'guangzhou' });
    expect(result.nodes.get('gz-2')?.groups).toEqual({ location: 'guangzhou' });
    expect(result.unitMembers.get('beijing')).toEqual(['bj-1', 'bj-2']);
    expect(result.groupUnits.get('location')).toEqual(['beijing', 'guangzhou']);
    expect(result.conflicts).toEqual([]);
  });

  it('moving a node between units moves its labels', () => {
    const before = guideWorld();
    const after = withUnit(
      withUnit(before, unit('beijing', { nodes: ['bj-1', 'bj-2', 'gz-3'] })),
      unit('guangzhou', { nodes: ['gz-1', 'gz-2'] }),
    );
    const applied = computeMembership(before).nodes.get('gz-3') as NodeLayer;
    const desired = computeMembership(after).nodes.get('gz-3') as NodeLayer;
    expect(desired.labels).toEqual({ beijing: U, location: 'beijing' });
    expect(diffLayers(applied, desired)).toMatchObject({
      labelsSet: { beijing: U, location: 'beijing' },
      labelsRemoved: ['guangzhou'],
    });
  });

  it('deleting a selector-only unit strips its labels, setNode included (SuperEdge keeps them)', () => {
    const nodes = [
      node('gz-1', { region: 'gz' }),
      node('gz-2', { region: 'gz' }),
      node('bj-1', { region: 'bj' }),
    ];
    const gz = unit('guangzhou', {
      selector: { matchLabels: { region: 'gz' }, matchExpressions: [] },
      setNode: {
        labels: { site: 'south' },
        annotations: { owner: 'ops' },
        taints: [{ key: 'site', value: 'gz', effect: 'NoSchedule' }],
      },
    });
    const before = world(nodes, [gz], [group('location', { nodeUnits: ['guangzhou'] })]);
    const applied = computeMembership(before).nodes.get('gz-1') as NodeLayer;
    expect(applied.labels).toEqual({ guangzhou: U, location: 'guangzhou', site: 'south' });
    const after = withUnit(before, { name: 'guangzhou', remove: true });
    const desired = computeMembership(after).nodes.get('gz-1') as NodeLayer;
    expect(desired).toEqual(EMPTY_LAYER);
    expect(diffLayers(applied, desired)).toEqual({
      labelsSet: {},
      labelsRemoved: ['guangzhou', 'location', 'site'],
      annotationsSet: {},
      annotationsRemoved: ['owner'],
      taintsAdded: [],
      taintsRemoved: [{ key: 'site', value: 'gz', effect: 'NoSchedule' }],
    });
  });

  it('a unit leaving a group loses the group label but keeps its unit label', () => {
    const w = guideWorld();
    const after = { ...w, groups: [group('location', { nodeUnits: ['guangzhou'] })] };
    expect(labelsOf(after, 'bj-1')).toEqual({ beijing: U });
    expect(labelsOf(after, 'gz-1')).toEqual({ guangzhou: U, location: 'guangzhou' });
  });

  it('several groups classify the same nodes (location and arch)', () => {
    const nodes = [node('a', { arch: 'arm64' }), node('b', { arch: 'amd64' })];
    const w = world(
      nodes,
      [
        unit('bj', { nodes: ['a', 'b'] }),
        unit('arm', { selector: { matchLabels: { arch: 'arm64' }, matchExpressions: [] } }),
        unit('x86', { selector: { matchLabels: { arch: 'amd64' }, matchExpressions: [] } }),
      ],
      [group('location', { nodeUnits: ['bj'] }), group('cpu', { nodeUnits: ['arm', 'x86'] })],
    );
    expect(labelsOf(w, 'a')).toEqual({ arm: U, bj: U, cpu: 'arm', location: 'bj' });
    expect(labelsOf(w, 'b')).toEqual({ bj: U, cpu: 'x86', location: 'bj', x86: U });
  });

  it('the default unit holds every node; explicit names of absent nodes are ignored', () => {
    const w = world(
      [node('n1'), node('n2')],
      [unit('unit-node-all', { allNodes: true, type: 'other' }), unit('u', { nodes: ['n1', 'ghost'] })],
    );
    const r = computeMembership(w);
    expect(r.unitMembers.get('unit-node-all')).toEqual(['n1', 'n2']);
    expect(r.unitMembers.get('u')).toEqual(['n1']);
    expect(r.nodes.get('n2')?.labels).toEqual({ 'unit-node-all': U });
  });

  it('an empty selector selects nothing; matchExpressions follow Kubernetes semantics', () => {
    const nodes = [node('a', { zone: 'z1', gpu: 'yes' }), node('b', { zone: 'z2' }), node('c', {})];
    const sel = (
      matchExpressions: {
        key: string;
        operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
        values: string[];
      }[],
    ) => unit('u', { selector: { matchLabels: {}, matchExpressions } });
    const members = (u: ReturnType<typeof unit>) => computeMembership(world(nodes, [u])).unitMembers.get('u');
    expect(members(unit('u', { selector: { matchLabels: {}, matchExpressions: [] } }))).toEqual([]);
    expect(members(sel([{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }]))).toEqual(['a', 'b']);
    expect(members(sel([{ key: 'zone', operator: 'NotIn', values: ['z1'] }]))).toEqual(['b', 'c']);
    expect(members(sel([{ key: 'gpu', operator: 'Exists', values: [] }]))).toEqual(['a']);
    expect(members(sel([{ key: 'gpu', operator: 'DoesNotExist', values: [] }]))).toEqual(['b', 'c']);
  });

  it('group selectors match unit labels; an empty group selector selects no unit', () => {
    const w = world(
      [node('a'), node('b')],
      [
        unit('u1', { nodes: ['a'], labels: { tier: 'edge' } }),
        unit('u2', { nodes: ['b'], labels: { tier: 'core' } }),
      ],
      [
        group('g', { selector: { matchLabels: { tier: 'edge' }, matchExpressions: [] } }),
        group('h', { selector: { matchLabels: {}, matchExpressions: [] } }),
      ],
    );
    const r = computeMembership(w);
    expect(r.groupUnits.get('g')).toEqual(['u1']);
    expect(r.groupUnits.get('h')).toEqual([]);
  });

  it('a node-label change that puts a node in two units of a group: first unit by name wins, conflict reported', () => {
    const w = world(
      [node('n', { a: '1', b: '1' })],
      [
        unit('zeta', { selector: { matchLabels: { a: '1' }, matchExpressions: [] } }),
        unit('alpha', { selector: { matchLabels: { b: '1' }, matchExpressions: [] } }),
      ],
      [group('g', { nodeUnits: ['alpha', 'zeta'] })],
    );
    const r = computeMembership(w);
    expect(r.nodes.get('n')?.groups).toEqual({ g: 'alpha' });
    expect(r.conflicts).toContainEqual({
      kind: 'group-exclusivity',
      node: 'n',
      group: 'g',
      units: ['alpha', 'zeta'],
      chosen: 'alpha',
    });
  });

  it('setNode clashes: membership labels beat setNode, lower unit name wins, taints deduplicated', () => {
    const w = world(
      [node('n')],
      [
        unit('b', {
          nodes: ['n'],
          setNode: {
            labels: { role: 'b', a: 'oops' },
            annotations: { k: 'b' },
            taints: [{ key: 't', value: 'b', effect: 'NoSchedule' }],
          },
        }),
        unit('a', {
          nodes: ['n'],
          setNode: {
            labels: { role: 'a' },
            annotations: { k: 'a' },
            taints: [{ key: 't', value: 'a', effect: 'NoSchedule' }],
          },
        }),
      ],
    );
    const r = computeMembership(w);
    expect(r.nodes.get('n')).toEqual({
      units: ['a', 'b'],
      groups: {},
      labels: { a: U, b: U, role: 'a' },
      annotations: { k: 'a' },
      taints: [{ key: 't', value: 'a', effect: 'NoSchedule' }],
    });
    expect(r.conflicts.map((c) => c.kind).sort()).toEqual(['annotation', 'label', 'label', 'taint']);
  });

  it('autoFindNodeKeys derives one unit per value tuple, deterministically named', () => {
    const nodes = [
      node('n1', { city: 'bj', arch: 'arm' }),
      node('n2', { city: 'bj', arch: 'arm' }),
      node('n3', { city: 'GZ_1', arch: 'arm' }),
      node('n4', { city: 'sh' }),
    ];
    const w = world(nodes, [], [group('site', { autoFindNodeKeys: ['city', 'arch'] })]);
    const r = computeMembership(w);
    const gzName = autoUnitName('site', ['arch', 'city'], { city: 'GZ_1', arch: 'arm' });
    expect(gzName).toMatch(/^site-arm-gz-1-[0-9a-f]{8}$/);
    expect(r.autoUnits.map((u) => u.name).sort()).toEqual(['site-arm-bj', gzName].sort());
    expect(r.groupUnits.get('site')).toEqual(['site-arm-bj', gzName].sort());
    expect(r.nodes.get('n1')?.labels).toEqual({ 'site-arm-bj': U, site: 'site-arm-bj' });
    expect(r.nodes.get('n4')?.labels).toEqual({});
    expect(
      planAutoUnits(w, r)
        .create.map((u) => u.name)
        .sort(),
    ).toEqual(['site-arm-bj', gzName].sort());
    // Once a value disappears, its materialised unit is planned for deletion.
    const later = world(
      [node('n1', { city: 'bj', arch: 'arm' })],
      [unit(gzName, {}, 'site'), unit('site-arm-bj', {}, 'site')],
      [...w.groups],
    );
    expect(planAutoUnits(later, computeMembership(later))).toEqual({
      create: [],
      delete: [{ name: gzName, managedBy: 'site' }],
    });
  });

  it('an auto unit name taken by a hand-made unit is reported, not hijacked', () => {
    const w = world(
      [node('n', { city: 'bj' })],
      [unit('site-bj', { nodes: [] })],
      [group('site', { autoFindNodeKeys: ['city'] })],
    );
    const r = computeMembership(w);
    expect(r.conflicts).toContainEqual({ kind: 'auto-unit-name-taken', group: 'site', unit: 'site-bj' });
    expect(r.groupUnits.get('site')).toEqual([]);
  });

  it('is independent of input order (replaying from zero gives the same state)', () => {
    const w = guideWorld();
    const shuffled = {
      nodes: [...w.nodes].reverse(),
      units: [...w.units].reverse(),
      groups: [...w.groups].reverse(),
    };
    expect(computeMembership(shuffled)).toEqual(computeMembership(w));
  });

  it('operatorLabels removes only what nodepool applied', () => {
    const applied = computeMembership(guideWorld()).nodes.get('bj-1') as NodeLayer;
    expect(operatorLabels({ beijing: U, location: 'beijing', disk: 'ssd' }, applied)).toEqual({
      disk: 'ssd',
    });
    expect(operatorLabels({ location: 'manual' }, applied)).toEqual({ location: 'manual' });
  });
});
