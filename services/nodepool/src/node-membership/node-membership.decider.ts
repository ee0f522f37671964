import type { Decider } from '@edgeplane/es-kit';
import { decideNodeMembership, type NodeMembershipCommand } from './node-membership.decide.js';
import {
  evolveNodeMembership,
  initialNodeMembershipState,
  type NodeMembershipEvent,
  type NodeMembershipState,
} from './node-membership.state.js';

export type { NodeMembershipCommand } from './node-membership.decide.js';
export type { NodeMembershipEvent, NodeMembershipState } from './node-membership.state.js';

/** The node-membership aggregate: the layer nodepool published for one node. */
export const nodeMembershipDecider: Decider<NodeMembershipState, NodeMembershipCommand, NodeMembershipEvent> =
  {
    initialState: initialNodeMembershipState,
    decide: decideNodeMembership,
    evolve: evolveNodeMembership,
  };

export const nodeMembershipStreamId = (clusterId: string, node: string) =>
  `nodemembership:${clusterId}:${node}`;
