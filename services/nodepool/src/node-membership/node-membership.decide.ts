import { jsonEqual } from '../shared/k8s-names.js';
import { diffLayers, EMPTY_LAYER, isEmptyDiff, type NodeLayer } from '../membership/membership.engine.js';
import type { NodeMembershipEvent, NodeMembershipState } from './node-membership.state.js';

export type NodeMembershipCommand = {
  type: 'ReconcileNodeMembership';
  clusterId: string;
  node: string;
  /** From computeMembership; EMPTY_LAYER when the node left every unit or the cluster. */
  desired: NodeLayer;
  now: string;
};

export function decideNodeMembership(
  command: NodeMembershipCommand,
  state: NodeMembershipState,
): NodeMembershipEvent[] {
  const applied = state.status === 'applied' ? state.layer : EMPTY_LAYER;
  const diff = diffLayers(applied, command.desired);
  const sameMembership =
    jsonEqual(applied.units, command.desired.units) && jsonEqual(applied.groups, command.desired.groups);
  if (isEmptyDiff(diff) && sameMembership) return [];
  const d = command.desired;
  return [
    {
      type: 'NodeMembershipChanged',
      data: {
        clusterId: command.clusterId,
        node: command.node,
        units: [...d.units],
        groups: { ...d.groups },
        labels: { ...d.labels },
        annotations: { ...d.annotations },
        taints: d.taints.map((t) => ({ ...t })),
        ...diff,
        at: command.now,
        // full state: consumers keep the highest version they applied (see the event's JSDoc)
        streamVersion: (state.status === 'applied' ? state.version : 0) + 1,
      },
    },
  ];
}
