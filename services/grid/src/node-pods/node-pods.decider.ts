import { NodePodsAssigned, type EventOf, type gridSchemas } from '@edgeplane/contracts';
import type { Decider } from '@edgeplane/es-kit';
import { sameJson } from '../shared/stable-json.js';

/** The one event of the node-pods aggregate (stream `nodepods:<clusterId>:<node>`). */
export const NODE_PODS_EVENTS = [NodePodsAssigned] as const;
export type NodePodsEvent = EventOf<(typeof NODE_PODS_EVENTS)[number]>;

export interface NodePodsState {
  pods: gridSchemas.PodAssignment[];
  version: number;
}

/** From the grid reconciler: every pod of every grid placed on this node, sorted. */
export interface AssignNodePods {
  type: 'AssignNodePods';
  clusterId: string;
  node: string;
  pods: gridSchemas.PodAssignment[];
  now: string;
}

const initialNodePodsState: NodePodsState = { pods: [], version: 0 };

/**
 * What a node's agent should run, as one full-state stream per node (the tunnel pushes the latest
 * to the agent): a new event only when the set differs.
 */
export const nodePodsDecider: Decider<NodePodsState, AssignNodePods, NodePodsEvent> = {
  initialState: initialNodePodsState,
  decide(command, state) {
    if (sameJson(command.pods, state.pods)) return [];
    return [
      {
        type: 'NodePodsAssigned',
        data: {
          clusterId: command.clusterId,
          node: command.node,
          pods: command.pods,
          streamVersion: state.version + 1,
          at: command.now,
        },
      },
    ];
  },
  evolve: (_state, event) => ({ pods: event.data.pods, version: event.data.streamVersion }),
};

export const nodePodsStreamId = (clusterId: string, node: string) => `nodepods:${clusterId}:${node}`;
