import { jsonEqual } from '../shared/k8s-names.js';
import { planAutoUnits } from '../membership/auto-unit-plan.js';
import {
  computeMembership,
  EMPTY_LAYER,
  type MembershipConflict,
  type MembershipWorld,
  type NodeLayer,
} from '../membership/membership.engine.js';
import type { NodeUnitCommand } from '../node-unit/node-unit.decider.js';
import type { NodeGroupCommand } from '../node-group/node-group.decider.js';
import type { NodeMembershipCommand } from '../node-membership/node-membership.decider.js';

/** What has been published so far (from the nodepool read models); omitted maps = unknown. */
export interface PublishedMembership {
  unitMembers?: ReadonlyMap<string, readonly string[]>;
  groupUnits?: ReadonlyMap<string, readonly string[]>;
  nodeLayers?: ReadonlyMap<string, NodeLayer>;
}

export interface ReconcilePlan {
  createAutoUnits: Extract<NodeUnitCommand, { type: 'CreateNodeUnit' }>[];
  deleteAutoUnits: Extract<NodeUnitCommand, { type: 'DeleteNodeUnit' }>[];
  units: Extract<NodeUnitCommand, { type: 'ResolveNodeUnitMembers' }>[];
  groups: Extract<NodeGroupCommand, { type: 'ResolveNodeGroupUnits' }>[];
  nodes: NodeMembershipCommand[];
  conflicts: MembershipConflict[];
}

/**
 * The membership reconciler's pure core: after any input changed (node joined/left/relabelled,
 * unit or group created/updated/deleted), compute the desired state from scratch and emit the
 * commands that publish it. Only differences to `published` produce commands; the deciders are
 * idempotent anyway, so a lost or repeated run is harmless. Nodes that left the world but still
 * carry a published layer get EMPTY_LAYER (their labels are stripped).
 */
export function planReconcile(
  world: MembershipWorld,
  clusterId: string,
  now: string,
  published: PublishedMembership = {},
): ReconcilePlan {
  const result = computeMembership(world);
  const auto = planAutoUnits(world, result);
  const plan: ReconcilePlan = {
    createAutoUnits: auto.create.map((u) => ({
      type: 'CreateNodeUnit',
      clusterId,
      name: u.name,
      now,
      spec: { type: u.spec.type, nodes: [], ...(u.spec.selector ? { selector: u.spec.selector } : {}) },
      managedBy: u.managedBy,
      world,
    })),
    deleteAutoUnits: auto.delete.map((u) => ({
      type: 'DeleteNodeUnit',
      clusterId,
      name: u.name,
      now,
      managedBy: u.managedBy,
    })),
    units: [],
    groups: [],
    nodes: [],
    conflicts: result.conflicts,
  };
  const declared = new Set(world.units.map((u) => u.name));
  for (const [name, members] of result.unitMembers) {
    if (!declared.has(name)) continue; // auto unit not materialised yet: no stream to write to
    if (published.unitMembers && jsonEqual(published.unitMembers.get(name) ?? [], members)) continue;
    plan.units.push({ type: 'ResolveNodeUnitMembers', clusterId, name, now, members });
  }
  for (const [name, units] of result.groupUnits) {
    if (published.groupUnits && jsonEqual(published.groupUnits.get(name) ?? [], units)) continue;
    plan.groups.push({ type: 'ResolveNodeGroupUnits', clusterId, name, now, units });
  }
  for (const [node, layer] of result.nodes) {
    if (published.nodeLayers && jsonEqual(published.nodeLayers.get(node) ?? EMPTY_LAYER, layer)) continue;
    plan.nodes.push({ type: 'ReconcileNodeMembership', clusterId, node, desired: layer, now });
  }
  for (const [node, layer] of published.nodeLayers ?? []) {
    if (result.nodes.has(node) || jsonEqual(layer, EMPTY_LAYER)) continue;
    plan.nodes.push({ type: 'ReconcileNodeMembership', clusterId, node, desired: EMPTY_LAYER, now });
  }
  return plan;
}
