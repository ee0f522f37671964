import type { EventData, EventOf, NodeMembershipChanged } from '@edgeplane/contracts';
import type { NodeLayer } from '../membership/membership.engine.js';

/**
 * The node-membership aggregate (stream `nodemembership:<clusterId>:<node>`) records the layer of
 * labels/annotations/taints nodepool has published for one node, so each change is one event with
 * the full layer and the diff. The reconciler feeds it the engine's desired layer.
 */
export type NodeMembershipEvent = EventOf<typeof NodeMembershipChanged>;

export type NodeMembershipState =
  | { status: 'empty' }
  | {
      status: 'applied';
      clusterId: string;
      node: string;
      layer: NodeLayer;
      /** the stream's version (events folded): the next event carries it + 1 as `streamVersion` */
      version: number;
    };

export const initialNodeMembershipState: NodeMembershipState = { status: 'empty' };

/** The full layer a NodeMembershipChanged carries (without its diff). */
export function layerOf(d: EventData<typeof NodeMembershipChanged>): NodeLayer {
  return { units: d.units, groups: d.groups, labels: d.labels, annotations: d.annotations, taints: d.taints };
}

export function evolveNodeMembership(
  state: NodeMembershipState,
  event: NodeMembershipEvent,
): NodeMembershipState {
  const d = event.data;
  const version = (state.status === 'applied' ? state.version : 0) + 1;
  return { status: 'applied', clusterId: d.clusterId, node: d.node, layer: layerOf(d), version };
}
