import type {
  GroupDef,
  MembershipWorld,
  NodeUnitSpec,
  NodeView,
  UnitDef,
  NodeGroupSpec,
} from '../src/index.js';

export const CLUSTER = 'cls-1';
export const NOW = '2025-01-01T00:00:00.000Z';
export const LATER = '2025-01-01T00:05:00.000Z';

export function node(name: string, labels: Record<string, string> = {}, ready?: boolean): NodeView {
  return { clusterId: CLUSTER, name, labels, ...(ready === undefined ? {} : { ready }) };
}

export function unitSpec(partial: Partial<NodeUnitSpec> = {}): NodeUnitSpec {
  return {
    type: 'edge',
    nodes: [],
    allNodes: false,
    setNode: { labels: {}, annotations: {}, taints: [] },
    labels: {},
    ...partial,
  };
}

export function unit(name: string, partial: Partial<NodeUnitSpec> = {}, managedBy?: string): UnitDef {
  return { name, spec: unitSpec(partial), ...(managedBy ? { managedBy } : {}) };
}

export function group(name: string, partial: Partial<NodeGroupSpec> = {}): GroupDef {
  return { name, spec: { nodeUnits: [], autoFindNodeKeys: [], ...partial } };
}

export function world(nodes: NodeView[], units: UnitDef[] = [], groups: GroupDef[] = []): MembershipWorld {
  return { nodes, units, groups };
}

/** The guide's example: bj-1, bj-2, gz-1, gz-2, gz-3; units beijing, guangzhou; group location. */
export const guideNodes = () => [node('bj-1'), node('bj-2'), node('gz-1'), node('gz-2'), node('gz-3')];
export const guideUnits = () => [
  unit('beijing', { nodes: ['bj-1', 'bj-2'] }),
  unit('guangzhou', { nodes: ['gz-1', 'gz-2', 'gz-3'] }),
];
export const guideWorld = () =>
  world(guideNodes(), guideUnits(), [group('location', { nodeUnits: ['beijing', 'guangzhou'] })]);
