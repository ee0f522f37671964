import type { Decider } from '@edgeplane/es-kit';
import type { EventOf, NodeMembershipChanged } from '@edgeplane/contracts';
import { jsonEqual } from '../shared/k8s-names.js';
import { diffLayers, EMPTY_LAYER, isEmptyDiff, type NodeLayer } from './membership.engine.js';

/**
 * The node-membership aggregate (stream `nodemembership:<clusterId>:<node>`) records the layer of
 * labels/annotations/taints nodepool has published for one node, so each change is one event with
 * the full layer and the diff. The reconciler feeds it the engine's desired layer.
 */
export type NodeMembershipEvent = EventOf<typeof NodeMembershipChanged>;

export type NodeMembershipState =
  | { status: 'empty' }
  | { status: 'applied'; clusterId: string; node: string; layer: NodeLayer };

export type NodeMembershipCommand = {
  type: 'ReconcileNodeMembership';
  clusterId: string;
  node: string;
  /** From computeMembership; EMPTY_LAYER when the node left every unit or the cluster. */
  desired: NodeLayer;
  now: string;
};

export const nodeMembershipStreamId = (clusterId: string, node: string) =>
  `nodemembership:${clusterId}:${node}`;

export const nodeMembershipDecider: Decider<NodeMembershipState, NodeMembershipCommand, NodeMembershipEvent> =
  {
    initialState: { status: 'empty' },
    decide(command, state) {
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
          },
        },
      ];
    },
    evolve(_state, event) {
      const d = event.data;
      const layer: NodeLayer = {
        units: d.units,
        groups: d.groups,
        labels: d.labels,
        annotations: d.annotations,
        taints: d.taints,
      };
      return { status: 'applied', clusterId: d.clusterId, node: d.node, layer };
    },
  };
