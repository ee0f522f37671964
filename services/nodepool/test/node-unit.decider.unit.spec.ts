import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from '@edgeplane/es-kit';
import { nodeUnitDecider, type NodeUnitEvent } from '../src/index.js';
import { CLUSTER, group, guideNodes, guideUnits, LATER, node, NOW, unit, world } from './fixtures.js';

const spec = DeciderSpecification(nodeUnitDecider);
const empty = { labels: {}, annotations: {}, taints: [] };
const created = (
  name: string,
  extra: Partial<Extract<NodeUnitEvent, { type: 'NodeUnitCreated' }>['data']> = {},
): NodeUnitEvent => ({
  type: 'NodeUnitCreated',
  data: {
    clusterId: CLUSTER,
    name,
    type: 'edge',
    nodes: [],
    allNodes: false,
    setNode: empty,
    labels: {},
    default: false,
    at: NOW,
    ...extra,
  },
});
const defaultCreated: NodeUnitEvent = created('unit-node-all', {
  type: 'other',
  allNodes: true,
  default: true,
});
const base = { clusterId: CLUSTER, now: NOW };
const noWorld = world(guideNodes());

describe('NodeUnit — EnsureDefaultNodeUnit', () => {
  it('creates unit-node-all (type other, every node) once', () => {
    spec
      .given([])
      .when({ type: 'EnsureDefaultNodeUnit', ...base })
      .then([defaultCreated]);
    spec
      .given([defaultCreated])
      .when({ type: 'EnsureDefaultNodeUnit', ...base })
      .thenNothingHappens();
  });
});

describe('NodeUnit — CreateNodeUnit', () => {
  it('creates a unit with a normalised spec (sorted nodes, selector, setNode, taints)', () => {
    spec
      .given([])
      .when({
        type: 'CreateNodeUnit',
        ...base,
        name: 'beijing',
        spec: {
          nodes: ['bj-2', 'bj-1', 'bj-1'],
          selector: { matchLabels: { region: 'bj' }, matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
          setNode: {
            labels: { site: 'bj', beijing: 'nodeunits.superedge.io' },
            taints: [{ key: 'edge', effect: 'NoSchedule' }],
          },
          labels: { tier: 'edge' },
        },
        world: noWorld,
      })
      .then([
        created('beijing', {
          nodes: ['bj-1', 'bj-2'],
          selector: {
            matchLabels: { region: 'bj' },
            matchExpressions: [{ key: 'gpu', operator: 'Exists', values: [] }],
          },
          setNode: {
            labels: { site: 'bj' },
            annotations: {},
            taints: [{ key: 'edge', value: '', effect: 'NoSchedule' }],
          },
          labels: { tier: 'edge' },
        }),
      ]);
  });

  it('records the owning group of an auto-found unit', () => {
    const events = spec
      .given([])
      .when({ type: 'CreateNodeUnit', ...base, name: 'site-bj', spec: {}, managedBy: 'site', world: noWorld })
      .events();
    expect(events[0]).toMatchObject({ type: 'NodeUnitCreated', data: { managedBy: 'site' } });
  });

  it('refuses a duplicate', () => {
    spec
      .given([created('beijing')])
      .when({ type: 'CreateNodeUnit', ...base, name: 'beijing', spec: {}, world: noWorld })
      .thenThrows(AlreadyExistsError);
  });

  it('may re-create a deleted unit', () => {
    const deleted: NodeUnitEvent = {
      type: 'NodeUnitDeleted',
      data: { clusterId: CLUSTER, name: 'beijing', at: NOW },
    };
    spec
      .given([created('beijing'), deleted])
      .when({ type: 'CreateNodeUnit', ...base, name: 'beijing', spec: {}, world: noWorld })
      .then([created('beijing')]);
  });

  it('refuses bad names, the reserved default name, bad selectors, labels and taints — naming each field', () => {
    spec
      .given([])
      .when({ type: 'CreateNodeUnit', ...base, name: 'Bei_Jing', spec: {}, world: noWorld })
      .thenThrows(
        ValidationError,
        (e: ValidationError) => e.violations[0]?.field === 'name' && e.message.includes('Bei_Jing'),
      );
    spec
      .given([])
      .when({ type: 'CreateNodeUnit', ...base, name: 'unit-node-all', spec: {}, world: noWorld })
      .thenThrows(ValidationError, (e) => e.message.includes('default unit'));
    const err = spec
      .given([])
      .when({
        type: 'CreateNodeUnit',
        ...base,
        name: 'u',
        spec: {
          type: 'fog',
          nodes: ['Not A Node'],
          selector: {
            matchExpressions: [
              { key: 'a', operator: 'In' },
              { key: 'b', operator: 'Exists', values: ['x'] },
              { key: 'c', operator: 'Near' },
            ],
          },
          setNode: {
            labels: { 'bad key!': 'v', u: 'other' },
            taints: [
              { key: 't', effect: 'Sometimes' },
              { key: 'd', effect: 'NoSchedule' },
              { key: 'd', value: 'x', effect: 'NoSchedule' },
            ],
          },
        },
        world: noWorld,
      })
      .thenThrows<ValidationError>(ValidationError);
    expect(err.violations.map((v) => v.field)).toEqual([
      'spec.type',
      'spec.nodes',
      'spec.selector.matchExpressions[0].values',
      'spec.selector.matchExpressions[1].values',
      'spec.selector.matchExpressions[2].operator',
      'spec.setNode.labels',
      'spec.setNode.labels.u',
      'spec.setNode.taints[0].effect',
      'spec.setNode.taints[2]',
    ]);
    expect(err.violations.at(-1)?.description).toContain('values "" and "x"');
  });

  it('refuses a name or setNode label that clashes with a group or unit label key', () => {
    const w = world(guideNodes(), guideUnits(), [group('location', { nodeUnits: ['beijing'] })]);
    spec
      .given([])
      .when({ type: 'CreateNodeUnit', ...base, name: 'location', spec: {}, world: w })
      .thenThrows(ValidationError, (e) => e.message.includes('NodeGroup "location"'));
    spec
      .given([])
      .when({
        type: 'CreateNodeUnit',
        ...base,
        name: 'u',
        spec: { setNode: { labels: { location: 'x', beijing: 'y' } } },
        world: w,
      })
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          e.violations.length === 2 &&
          e.message.includes('NodeGroup "location"') &&
          e.message.includes('NodeUnit "beijing"'),
      );
  });

  it('refuses a unit that would put a node into two units of a group (names the node and both units)', () => {
    const w = world(guideNodes(), guideUnits(), [
      group('location', { selector: { matchLabels: { kind: 'city' }, matchExpressions: [] } }),
    ]);
    w.units = w.units.map((u) => ({ ...u, spec: { ...u.spec, labels: { kind: 'city' } } }));
    spec
      .given([])
      .when({
        type: 'CreateNodeUnit',
        ...base,
        name: 'south',
        spec: { nodes: ['gz-1'], labels: { kind: 'city' } },
        world: w,
      })
      .thenThrows(ValidationError, (e) =>
        e.message.includes('node "gz-1" would be in units "guangzhou" and "south" of group "location"'),
      );
  });
});

describe('NodeUnit — UpdateNodeUnit', () => {
  const w = world(guideNodes(), guideUnits(), [group('location', { nodeUnits: ['beijing', 'guangzhou'] })]);
  const bj = created('beijing', { nodes: ['bj-1', 'bj-2'] });

  it('replaces the spec', () => {
    spec
      .given([bj])
      .when({
        type: 'UpdateNodeUnit',
        ...base,
        now: LATER,
        name: 'beijing',
        spec: { type: 'cloud', nodes: ['bj-1'] },
        world: w,
      })
      .then([
        {
          type: 'NodeUnitUpdated',
          data: {
            clusterId: CLUSTER,
            name: 'beijing',
            type: 'cloud',
            nodes: ['bj-1'],
            allNodes: false,
            setNode: empty,
            labels: {},
            at: LATER,
          },
        },
      ]);
  });

  it('is idempotent when nothing changes', () => {
    spec
      .given([bj])
      .when({ type: 'UpdateNodeUnit', ...base, name: 'beijing', spec: { nodes: ['bj-2', 'bj-1'] }, world: w })
      .thenNothingHappens();
  });

  it('refuses an unknown unit', () => {
    spec
      .given([])
      .when({ type: 'UpdateNodeUnit', ...base, name: 'beijing', spec: {}, world: w })
      .thenThrows(NotFoundError);
  });

  it('refuses an update that breaks one-unit-per-group, naming the node and both units', () => {
    spec
      .given([bj])
      .when({
        type: 'UpdateNodeUnit',
        ...base,
        name: 'beijing',
        spec: { nodes: ['bj-1', 'bj-2', 'gz-2'] },
        world: w,
      })
      .thenThrows(
        ValidationError,
        (e) =>
          e.message ===
          'spec: node "gz-2" would be in units "beijing" and "guangzhou" of group "location"; a node may be in only one unit of a group',
      );
  });

  it('does not blame an update for a conflict that node labels caused before', () => {
    const labelled = world(
      [node('n', { a: '1', b: '1' }), node('m')],
      [
        unit('u1', { selector: { matchLabels: { a: '1' }, matchExpressions: [] } }),
        unit('u2', { selector: { matchLabels: { b: '1' }, matchExpressions: [] } }),
      ],
      [group('g', { nodeUnits: ['u1', 'u2'] })],
    );
    const u1 = created('u1', { selector: { matchLabels: { a: '1' }, matchExpressions: [] } });
    const events = spec
      .given([u1])
      .when({
        type: 'UpdateNodeUnit',
        ...base,
        name: 'u1',
        spec: { selector: { matchLabels: { a: '1' } }, setNode: { labels: { x: 'y' } } },
        world: labelled,
      })
      .events();
    expect(events).toHaveLength(1);
  });

  it('refuses changing the default unit membership but allows its setNode', () => {
    spec
      .given([defaultCreated])
      .when({
        type: 'UpdateNodeUnit',
        ...base,
        name: 'unit-node-all',
        spec: { type: 'other', nodes: ['bj-1'] },
        world: w,
      })
      .thenThrows(ValidationError, (e) => e.message.includes('holds every node'));
    const events = spec
      .given([defaultCreated])
      .when({
        type: 'UpdateNodeUnit',
        ...base,
        name: 'unit-node-all',
        spec: { type: 'other', setNode: { labels: { fleet: 'x' } } },
        world: w,
      })
      .events();
    expect(events[0]).toMatchObject({
      type: 'NodeUnitUpdated',
      data: { allNodes: true, setNode: { labels: { fleet: 'x' } } },
    });
  });

  it('refuses hand edits of a unit owned by a group (autoFindNodeKeys), accepts the owner', () => {
    const auto = created('site-bj', { managedBy: 'site' });
    spec
      .given([auto])
      .when({ type: 'UpdateNodeUnit', ...base, name: 'site-bj', spec: { type: 'cloud' }, world: w })
      .thenThrows(IllegalStateError, (e) => e.message.includes('NodeGroup "site"'));
    expect(
      spec
        .given([auto])
        .when({
          type: 'UpdateNodeUnit',
          ...base,
          name: 'site-bj',
          spec: { type: 'cloud' },
          managedBy: 'site',
          world: w,
        })
        .events(),
    ).toHaveLength(1);
  });

  it('refuses validation errors', () => {
    spec
      .given([bj])
      .when({ type: 'UpdateNodeUnit', ...base, name: 'beijing', spec: { type: 'sky' }, world: w })
      .thenThrows(ValidationError, (e) => e.message.includes('sky'));
  });
});

describe('NodeUnit — DeleteNodeUnit', () => {
  it('deletes, then is idempotent', () => {
    const deleted: NodeUnitEvent = {
      type: 'NodeUnitDeleted',
      data: { clusterId: CLUSTER, name: 'beijing', at: NOW },
    };
    spec
      .given([created('beijing')])
      .when({ type: 'DeleteNodeUnit', ...base, name: 'beijing' })
      .then([deleted]);
    spec
      .given([created('beijing'), deleted])
      .when({ type: 'DeleteNodeUnit', ...base, name: 'beijing' })
      .thenNothingHappens();
  });
  it('refuses an unknown unit, the default unit and a group-owned unit', () => {
    spec
      .given([])
      .when({ type: 'DeleteNodeUnit', ...base, name: 'x' })
      .thenThrows(NotFoundError);
    spec
      .given([defaultCreated])
      .when({ type: 'DeleteNodeUnit', ...base, name: 'unit-node-all' })
      .thenThrows(IllegalStateError, (e) => e.message.includes('cannot be deleted'));
    spec
      .given([created('site-bj', { managedBy: 'site' })])
      .when({ type: 'DeleteNodeUnit', ...base, name: 'site-bj' })
      .thenThrows(IllegalStateError);
    expect(
      spec
        .given([created('site-bj', { managedBy: 'site' })])
        .when({ type: 'DeleteNodeUnit', ...base, name: 'site-bj', managedBy: 'site' })
        .events(),
    ).toHaveLength(1);
  });
});

describe('NodeUnit — ResolveNodeUnitMembers', () => {
  it('publishes the member set with what was added and removed', () => {
    const first: NodeUnitEvent = {
      type: 'NodeUnitMembersChanged',
      data: {
        clusterId: CLUSTER,
        name: 'beijing',
        members: ['bj-1', 'bj-2'],
        added: ['bj-1', 'bj-2'],
        removed: [],
        at: NOW,
      },
    };
    spec
      .given([created('beijing')])
      .when({ type: 'ResolveNodeUnitMembers', ...base, name: 'beijing', members: ['bj-2', 'bj-1'] })
      .then([first]);
    spec
      .given([created('beijing'), first])
      .when({ type: 'ResolveNodeUnitMembers', ...base, name: 'beijing', members: ['bj-1', 'bj-2'] })
      .thenNothingHappens();
    spec
      .given([created('beijing'), first])
      .when({ type: 'ResolveNodeUnitMembers', ...base, name: 'beijing', members: ['bj-1', 'gz-3'] })
      .then([
        {
          type: 'NodeUnitMembersChanged',
          data: {
            clusterId: CLUSTER,
            name: 'beijing',
            members: ['bj-1', 'gz-3'],
            added: ['gz-3'],
            removed: ['bj-2'],
            at: NOW,
          },
        },
      ]);
  });
  it('ignores a deleted unit and refuses an unknown one', () => {
    spec
      .given([created('b'), { type: 'NodeUnitDeleted', data: { clusterId: CLUSTER, name: 'b', at: NOW } }])
      .when({ type: 'ResolveNodeUnitMembers', ...base, name: 'b', members: ['x'] })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'ResolveNodeUnitMembers', ...base, name: 'b', members: [] })
      .thenThrows(NotFoundError);
  });
});
