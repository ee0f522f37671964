import type { Decider } from '@edgeplane/es-kit';
import { decideNodeGroup, type NodeGroupCommand } from './node-group.decide.js';
import {
  evolveNodeGroup,
  initialNodeGroupState,
  type NodeGroupEvent,
  type NodeGroupState,
} from './node-group.state.js';

export type { NodeGroupCommand } from './node-group.decide.js';
export type { ActiveGroupState, NodeGroupEvent, NodeGroupState } from './node-group.state.js';

/** The NodeGroup aggregate, stream `nodegroup:<clusterId>:<name>`. */
export const nodeGroupDecider: Decider<NodeGroupState, NodeGroupCommand, NodeGroupEvent> = {
  initialState: initialNodeGroupState,
  decide: decideNodeGroup,
  evolve: evolveNodeGroup,
};

export const nodeGroupStreamId = (clusterId: string, name: string) => `nodegroup:${clusterId}:${name}`;
