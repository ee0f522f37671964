import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, DeciderSpecification, NotFoundError, ValidationError } from '@edgeplane/es-kit';
import { nodeGroupDecider, type NodeGroupEvent } from '../src/index.js';
import { CLUSTER, group, guideNodes, guideUnits, LATER, node, NOW, unit, world } from './fixtures.js';

const spec = DeciderSpecification(nodeGroupDecider);
const base = { clusterId: CLUSTER, now: NOW };
const created = (
  name: string,
  extra: Partial<Extract<NodeGroupEvent, { type: 'NodeGroupCreated' }>['data']> = {},
): NodeGroupEvent => ({
  type: 'NodeGroupCreated',
  data: { clusterId: CLUSTER, name, nodeUnits: [], autoFindNodeKeys: [], at: NOW, ...extra },
});
const w = world(guideNodes(), guideUnits());

describe('NodeGroup — CreateNodeGroup', () => {
  it('creates the guide group `location` over beijing and guangzhou', () => {
    spec
      .given([])
      .when({
        type: 'CreateNodeGroup',
        ...base,
        name: 'location',
        spec: { nodeUnits: ['guangzhou', 'beijing', 'beijing'] },
        world: w,
      })
      .then([created('location', { nodeUnits: ['beijing', 'guangzhou'] })]);
  });

  it('accepts a unit selector and autoFindNodeKeys', () => {
    spec
      .given([])
      .when({
        type: 'CreateNodeGroup',
        ...base,
        name: 'site',
        spec: { selector: { matchLabels: { tier: 'edge' } }, autoFindNodeKeys: ['city', 'arch'] },
        world: w,
      })
      .then([
        created('site', {
          selector: { matchLabels: { tier: 'edge' }, matchExpressions: [] },
          autoFindNodeKeys: ['arch', 'city'],
        }),
      ]);
  });

  it('refuses a duplicate', () => {
    spec
      .given([created('location')])
      .when({ type: 'CreateNodeGroup', ...base, name: 'location', spec: {}, world: w })
      .thenThrows(AlreadyExistsError);
  });

  it('refuses bad names, bad unit names, bad keys and a name equal to a unit or a setNode label', () => {
    spec
      .given([])
      .when({
        type: 'CreateNodeGroup',
        ...base,
        name: 'Loc',
        spec: { nodeUnits: ['Bad_Unit'], autoFindNodeKeys: ['bad key'] },
        world: w,
      })
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          e.violations.map((v) => v.field).join() === 'name,spec.nodeUnits,spec.autoFindNodeKeys',
      );
    spec
      .given([])
      .when({ type: 'CreateNodeGroup', ...base, name: 'beijing', spec: {}, world: w })
      .thenThrows(ValidationError, (e) => e.message.includes('NodeUnit "beijing"'));
    spec
      .given([])
      .when({ type: 'CreateNodeGroup', ...base, name: 'unit-node-all', spec: {}, world: w })
      .thenThrows(ValidationError);
    const labelled = world(guideNodes(), [
      unit('beijing', { setNode: { labels: { zone: 'a' }, annotations: {}, taints: [] } }),
    ]);
    spec
      .given([])
      .when({ type: 'CreateNodeGroup', ...base, name: 'zone', spec: {}, world: labelled })
      .thenThrows(ValidationError, (e) => e.message.includes('already sets label "zone"'));
  });

  it('refuses a group whose units overlap, naming the node and both units', () => {
    const overlapping = world(guideNodes(), [...guideUnits(), unit('south', { nodes: ['gz-3'] })]);
    spec
      .given([])
      .when({
        type: 'CreateNodeGroup',
        ...base,
        name: 'location',
        spec: { nodeUnits: ['beijing', 'guangzhou', 'south'] },
        world: overlapping,
      })
      .thenThrows(ValidationError, (e) =>
        e.message.includes('node "gz-3" would be in units "guangzhou" and "south" of group "location"'),
      );
  });
});

describe('NodeGroup — UpdateNodeGroup', () => {
  const loc = created('location', { nodeUnits: ['beijing'] });
  const current = world(
    guideNodes(),
    [...guideUnits(), unit('south', { nodes: ['gz-3'] })],
    [group('location', { nodeUnits: ['beijing'] })],
  );

  it('replaces the spec', () => {
    spec
      .given([loc])
      .when({
        type: 'UpdateNodeGroup',
        ...base,
        now: LATER,
        name: 'location',
        spec: { nodeUnits: ['beijing', 'guangzhou'] },
        world: current,
      })
      .then([
        {
          type: 'NodeGroupUpdated',
          data: {
            clusterId: CLUSTER,
            name: 'location',
            nodeUnits: ['beijing', 'guangzhou'],
            autoFindNodeKeys: [],
            at: LATER,
          },
        },
      ]);
  });
  it('is idempotent', () => {
    spec
      .given([loc])
      .when({
        type: 'UpdateNodeGroup',
        ...base,
        name: 'location',
        spec: { nodeUnits: ['beijing'] },
        world: current,
      })
      .thenNothingHappens();
  });
  it('refuses an unknown group, a bad spec and a conflicting change', () => {
    spec
      .given([])
      .when({ type: 'UpdateNodeGroup', ...base, name: 'location', spec: {}, world: current })
      .thenThrows(NotFoundError);
    spec
      .given([loc])
      .when({
        type: 'UpdateNodeGroup',
        ...base,
        name: 'location',
        spec: { autoFindNodeKeys: ['/x'] },
        world: current,
      })
      .thenThrows(ValidationError);
    spec
      .given([loc])
      .when({
        type: 'UpdateNodeGroup',
        ...base,
        name: 'location',
        spec: { nodeUnits: ['beijing', 'guangzhou', 'south'] },
        world: current,
      })
      .thenThrows(
        ValidationError,
        (e) => e.message.includes('"gz-3"') && e.message.includes('"guangzhou" and "south"'),
      );
  });
  it('refuses autoFindNodeKeys whose units would overlap a named unit', () => {
    const labelled = world(
      [node('bj-1', { city: 'bj' }), node('bj-2')],
      [unit('beijing', { nodes: ['bj-1', 'bj-2'] })],
      [group('location', { nodeUnits: ['beijing'] })],
    );
    spec
      .given([loc])
      .when({
        type: 'UpdateNodeGroup',
        ...base,
        name: 'location',
        spec: { nodeUnits: ['beijing'], autoFindNodeKeys: ['city'] },
        world: labelled,
      })
      .thenThrows(ValidationError, (e) =>
        e.message.includes('node "bj-1" would be in units "beijing" and "location-bj"'),
      );
  });
});

describe('NodeGroup — DeleteNodeGroup and ResolveNodeGroupUnits', () => {
  const deleted: NodeGroupEvent = {
    type: 'NodeGroupDeleted',
    data: { clusterId: CLUSTER, name: 'location', at: NOW },
  };
  it('deletes once; unknown is refused', () => {
    spec
      .given([created('location')])
      .when({ type: 'DeleteNodeGroup', ...base, name: 'location' })
      .then([deleted]);
    spec
      .given([created('location'), deleted])
      .when({ type: 'DeleteNodeGroup', ...base, name: 'location' })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'DeleteNodeGroup', ...base, name: 'location' })
      .thenThrows(NotFoundError);
  });
  it('publishes the resolved unit list with the difference', () => {
    const first: NodeGroupEvent = {
      type: 'NodeGroupUnitsChanged',
      data: {
        clusterId: CLUSTER,
        name: 'location',
        units: ['beijing', 'guangzhou'],
        added: ['beijing', 'guangzhou'],
        removed: [],
        at: NOW,
      },
    };
    spec
      .given([created('location')])
      .when({ type: 'ResolveNodeGroupUnits', ...base, name: 'location', units: ['guangzhou', 'beijing'] })
      .then([first]);
    spec
      .given([created('location'), first])
      .when({ type: 'ResolveNodeGroupUnits', ...base, name: 'location', units: ['beijing', 'guangzhou'] })
      .thenNothingHappens();
    const next = spec
      .given([created('location'), first])
      .when({ type: 'ResolveNodeGroupUnits', ...base, name: 'location', units: ['beijing'] })
      .events();
    expect(next[0]?.data).toMatchObject({ units: ['beijing'], added: [], removed: ['guangzhou'] });
    spec
      .given([created('location'), deleted])
      .when({ type: 'ResolveNodeGroupUnits', ...base, name: 'location', units: ['x'] })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'ResolveNodeGroupUnits', ...base, name: 'location', units: [] })
      .thenThrows(NotFoundError);
  });
});
