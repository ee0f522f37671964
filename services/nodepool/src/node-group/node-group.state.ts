import { NotFoundError } from '@edgeplane/es-kit';
import {
  NodeGroupCreated,
  NodeGroupDeleted,
  NodeGroupUnitsChanged,
  NodeGroupUpdated,
  type EventOf,
} from '@edgeplane/contracts';
import type { NodeGroupSpec } from '../model/node-group.model.js';

/** The catalogue events of the NodeGroup aggregate (stream `nodegroup:<clusterId>:<name>`). */
export const NODE_GROUP_EVENTS = [
  NodeGroupCreated,
  NodeGroupUpdated,
  NodeGroupDeleted,
  NodeGroupUnitsChanged,
] as const;

export type NodeGroupEvent = EventOf<(typeof NODE_GROUP_EVENTS)[number]>;

export type NodeGroupState =
  | { status: 'absent' }
  | {
      status: 'active';
      clusterId: string;
      name: string;
      spec: NodeGroupSpec;
      /** Resolved units, as last published by NodeGroupUnitsChanged. */
      units: string[];
      createdAt: string;
    }
  | { status: 'deleted'; clusterId: string; name: string };

/** A live group: what the `proj_groups` read model holds and every read path shows. */
export type ActiveGroupState = Extract<NodeGroupState, { status: 'active' }>;

export const initialNodeGroupState: NodeGroupState = { status: 'absent' };

/** The group, or NOT_FOUND. */
export function activeGroup(state: NodeGroupState, name: string): ActiveGroupState {
  if (state.status !== 'active') throw new NotFoundError('NodeGroup', name);
  return state;
}

export function evolveNodeGroup(state: NodeGroupState, event: NodeGroupEvent): NodeGroupState {
  switch (event.type) {
    case 'NodeGroupCreated': {
      const { clusterId, name, at, nodeUnits, selector, autoFindNodeKeys } = event.data;
      const spec: NodeGroupSpec = { nodeUnits, ...(selector ? { selector } : {}), autoFindNodeKeys };
      return { status: 'active', clusterId, name, spec, units: [], createdAt: at };
    }
    case 'NodeGroupUpdated': {
      if (state.status !== 'active') return state;
      const { nodeUnits, selector, autoFindNodeKeys } = event.data;
      return { ...state, spec: { nodeUnits, ...(selector ? { selector } : {}), autoFindNodeKeys } };
    }
    case 'NodeGroupDeleted':
      if (state.status !== 'active') return state;
      return { status: 'deleted', clusterId: state.clusterId, name: state.name };
    case 'NodeGroupUnitsChanged':
      if (state.status !== 'active') return state;
      return { ...state, units: event.data.units };
  }
}
