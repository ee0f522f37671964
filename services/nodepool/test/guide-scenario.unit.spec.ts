import { describe, expect, it } from 'vitest';
import { fold, ValidationError, type Decider } from '@edgeplane/es-kit';
import { catalogue, validateEventData } from '@edgeplane/contracts';
import {
  nodeGroupDecider,
  nodeMembershipDecider,
  nodeUnitDecider,
  planReconcile,
  type MembershipWorld,
  type NodeGroupCommand,
  type NodeLayer,
  type NodeUnitCommand,
  type NodeView,
} from '../src/index.js';
import { CLUSTER, node, NOW } from './fixtures.js';

/**
 * The guide's example driven through the deciders and the reconciler plan with an in-memory log
 * — the shape the service layer will have, minus PostgreSQL/NATS.
 */
type AnyEvent = { type: string; data: unknown };
type Bare<T> = T extends unknown ? Omit<T, 'clusterId' | 'now' | 'world'> : never;
class Pool {
  readonly log: { stream: string; event: AnyEvent }[] = [];
  nodes: NodeView[] = [];

  private stream(prefix: string, name: string) {
    return this.log.filter((e) => e.stream === `${prefix}:${name}`).map((e) => e.event);
  }
  private run<S, C, E extends AnyEvent>(decider: Decider<S, C, E>, stream: string, command: C): E[] {
    const state = fold(
      decider,
      this.log.filter((e) => e.stream === stream).map((e) => e.event as E),
    );
    const events = decider.decide(command, state);
    for (const event of events) this.log.push({ stream, event });
    return events;
  }
  unitStates() {
    const names = new Set(this.log.filter((e) => e.stream.startsWith('unit:')).map((e) => e.stream.slice(5)));
    return [...names].map((n) => fold(nodeUnitDecider, this.stream('unit', n) as never));
  }
  groupStates() {
    const names = new Set(
      this.log.filter((e) => e.stream.startsWith('group:')).map((e) => e.stream.slice(6)),
    );
    return [...names].map((n) => fold(nodeGroupDecider, this.stream('group', n) as never));
  }
  world(): MembershipWorld {
    return {
      nodes: this.nodes,
      units: this.unitStates().flatMap((s) =>
        s.status === 'active'
          ? [{ name: s.name, spec: s.spec, ...(s.managedBy ? { managedBy: s.managedBy } : {}) }]
          : [],
      ),
      groups: this.groupStates().flatMap((s) =>
        s.status === 'active' ? [{ name: s.name, spec: s.spec }] : [],
      ),
    };
  }
  layer(name: string): NodeLayer | undefined {
    const s = fold(nodeMembershipDecider, this.stream('node', name) as never);
    return s.status === 'applied' ? s.layer : undefined;
  }
  unit(command: Bare<NodeUnitCommand>) {
    return this.run(nodeUnitDecider, `unit:${(command as { name?: string }).name ?? 'unit-node-all'}`, {
      clusterId: CLUSTER,
      now: NOW,
      world: this.world(),
      ...command,
    } as NodeUnitCommand);
  }
  group(command: Bare<NodeGroupCommand>) {
    return this.run(nodeGroupDecider, `group:${command.name}`, {
      clusterId: CLUSTER,
      now: NOW,
      world: this.world(),
      ...command,
    } as NodeGroupCommand);
  }
  reconcile() {
    const known = new Set(this.log.filter((e) => e.stream.startsWith('node:')).map((e) => e.stream.slice(5)));
    const published = new Map([...known].map((n) => [n, this.layer(n) as NodeLayer] as const));
    const plan = planReconcile(this.world(), CLUSTER, NOW, { nodeLayers: published });
    for (const c of plan.createAutoUnits) this.run(nodeUnitDecider, `unit:${c.name}`, c);
    for (const c of plan.units) this.run(nodeUnitDecider, `unit:${c.name}`, c);
    for (const c of plan.groups) this.run(nodeGroupDecider, `group:${c.name}`, c);
    for (const c of plan.nodes) this.run(nodeMembershipDecider, `node:${c.node}`, c);
    return plan;
  }
}

const U = 'nodeunits.superedge.io';

function guide(): Pool {
  const pool = new Pool();
  pool.nodes = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'].map((n) => node(n, { region: n.slice(0, 2) }));
  pool.unit({ type: 'EnsureDefaultNodeUnit' });
  pool.unit({ type: 'CreateNodeUnit', name: 'beijing', spec: { nodes: ['bj-1', 'bj-2'] } });
  pool.unit({
    type: 'CreateNodeUnit',
    name: 'guangzhou',
    spec: { selector: { matchLabels: { region: 'gz' } } },
  });
  pool.group({ type: 'CreateNodeGroup', name: 'location', spec: { nodeUnits: ['beijing', 'guangzhou'] } });
  pool.reconcile();
  return pool;
}

describe('guide example through deciders and reconciler', () => {
  it('ends with location=beijing on bj nodes, location=guangzhou on gz nodes, both unit labels present', () => {
    const pool = guide();
    for (const n of ['bj-1', 'bj-2'])
      expect(pool.layer(n)?.labels).toEqual({ beijing: U, location: 'beijing', 'unit-node-all': U });
    for (const n of ['gz-1', 'gz-2', 'gz-3'])
      expect(pool.layer(n)?.labels).toEqual({ guangzhou: U, location: 'guangzhou', 'unit-node-all': U });
    const location = pool.groupStates().find((g) => g.status === 'active' && g.name === 'location');
    expect(location).toMatchObject({ units: ['beijing', 'guangzhou'] });
    expect(pool.reconcile().nodes).toEqual([]);
  });

  it('moving gz-3 to beijing moves its labels; the one-unit-per-group rule refuses the conflicting order', () => {
    const pool = guide();
    expect(() =>
      pool.unit({ type: 'UpdateNodeUnit', name: 'beijing', spec: { nodes: ['bj-1', 'bj-2', 'gz-3'] } }),
    ).toThrow('node "gz-3" would be in units "beijing" and "guangzhou" of group "location"');
    pool.unit({
      type: 'UpdateNodeUnit',
      name: 'guangzhou',
      spec: {
        selector: {
          matchLabels: { region: 'gz' },
          matchExpressions: [{ key: 'move', operator: 'DoesNotExist' }],
        },
      },
    });
    pool.nodes = pool.nodes.map((n) => (n.name === 'gz-3' ? node('gz-3', { region: 'gz', move: 'yes' }) : n));
    pool.unit({ type: 'UpdateNodeUnit', name: 'beijing', spec: { nodes: ['bj-1', 'bj-2', 'gz-3'] } });
    pool.reconcile();
    expect(pool.layer('gz-3')?.labels).toEqual({ beijing: U, location: 'beijing', 'unit-node-all': U });
    const last = pool.log.filter((e) => e.stream === 'node:gz-3').at(-1)?.event.data;
    expect(last).toMatchObject({
      labelsSet: { beijing: U, location: 'beijing' },
      labelsRemoved: ['guangzhou'],
    });
  });

  it('deleting the selector-only unit strips its labels', () => {
    const pool = guide();
    pool.unit({ type: 'DeleteNodeUnit', name: 'guangzhou' });
    pool.reconcile();
    for (const n of ['gz-1', 'gz-2', 'gz-3']) expect(pool.layer(n)?.labels).toEqual({ 'unit-node-all': U });
    expect(pool.layer('bj-1')?.labels).toEqual({ beijing: U, location: 'beijing', 'unit-node-all': U });
  });

  it('a node leaving the cluster gets its nodepool layer cleared', () => {
    const pool = guide();
    pool.nodes = pool.nodes.filter((n) => n.name !== 'bj-2');
    pool.reconcile();
    expect(pool.layer('bj-2')).toEqual({ units: [], groups: {}, labels: {}, annotations: {}, taints: [] });
    const last = pool.log.filter((e) => e.stream === 'node:bj-2').at(-1)?.event.data;
    expect(last).toMatchObject({ labels: {}, labelsRemoved: ['beijing', 'location', 'unit-node-all'] });
  });

  it('autoFindNodeKeys materialises units named <group>-<value>', () => {
    const pool = guide();
    pool.group({ type: 'CreateNodeGroup', name: 'area', spec: { autoFindNodeKeys: ['region'] } });
    const plan = pool.reconcile();
    expect(plan.createAutoUnits.map((c) => c.name)).toEqual(['area-bj', 'area-gz']);
    pool.reconcile();
    expect(pool.layer('gz-1')?.groups).toEqual({ area: 'area-gz', location: 'guangzhou' });
  });

  it('every emitted event is a valid catalogue event, and replaying from zero gives the same state', () => {
    const pool = guide();
    pool.unit({ type: 'DeleteNodeUnit', name: 'guangzhou' });
    pool.reconcile();
    for (const { event } of pool.log) {
      expect(catalogue.find(event.type)?.emitter).toBe('nodepool');
      expect(() => validateEventData(event.type, 1, event.data)).not.toThrow();
    }
    const replay = new Pool();
    replay.nodes = pool.nodes;
    replay.log.push(...JSON.parse(JSON.stringify(pool.log)));
    expect(replay.world()).toEqual(pool.world());
    for (const n of pool.nodes) expect(replay.layer(n.name)).toEqual(pool.layer(n.name));
    const before = replay.log.length;
    expect(replay.reconcile().nodes).toEqual([]);
    expect(replay.log.length).toBe(before);
  });

  it('a conflicting group is refused', () => {
    const pool = guide();
    pool.unit({ type: 'CreateNodeUnit', name: 'south', spec: { nodes: ['gz-1'] } });
    expect(() =>
      pool.group({
        type: 'UpdateNodeGroup',
        name: 'location',
        spec: { nodeUnits: ['beijing', 'guangzhou', 'south'] },
      }),
    ).toThrow(ValidationError);
  });
});
