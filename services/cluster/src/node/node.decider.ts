import type { Decider } from '@edgeplane/es-kit';
import {
  applySystemAnnotations,
  applySystemLabels,
  applySystemTaints,
  labelNode,
  taintNode,
  type ApplySystemAnnotations,
  type ApplySystemLabels,
  type ApplySystemTaints,
  type LabelNode,
  type TaintNode,
} from './node.layers.decide.js';
import {
  cordonNode,
  drainNode,
  issueNodeCredential,
  joinNode,
  liftCapacityCordon,
  removeNode,
  uncordonNode,
  type CordonNode,
  type DrainNode,
  type IssueNodeCredential,
  type JoinNode,
  type LiftCapacityCordon,
  type RemoveNode,
  type UncordonNode,
} from './node.lifecycle.decide.js';
import {
  evolveNode,
  initialNodeState,
  requirePresent,
  type NodeEvent,
  type NodeState,
} from './node.state.js';

/**
 * The Node aggregate (`node-<clusterId>-<nodeName>`): its commands, and the decider that routes
 * each to its decision (lifecycle, or labels/taints/annotations in layers).
 */

export type NodeCommand =
  | JoinNode
  | IssueNodeCredential
  | LabelNode
  | TaintNode
  | CordonNode
  | UncordonNode
  | DrainNode
  | RemoveNode
  | ApplySystemLabels
  | ApplySystemTaints
  | ApplySystemAnnotations
  | LiftCapacityCordon;

function decide(command: NodeCommand, state: NodeState): NodeEvent[] {
  switch (command.type) {
    case 'JoinNode':
      return joinNode(command, state);
    case 'IssueNodeCredential':
      return issueNodeCredential(command, requirePresent(state, command));
    case 'LabelNode':
      return labelNode(command, requirePresent(state, command));
    case 'TaintNode':
      return taintNode(command, requirePresent(state, command));
    case 'CordonNode':
      return cordonNode(command, requirePresent(state, command));
    case 'UncordonNode':
      return uncordonNode(command, requirePresent(state, command));
    case 'DrainNode':
      return drainNode(command, requirePresent(state, command));
    case 'RemoveNode':
      if (state.status === 'removed') return [];
      return removeNode(command, requirePresent(state, command));
    case 'ApplySystemLabels':
      // Decisions made elsewhere may arrive after the node left; there is nothing left to label.
      if (state.status === 'removed') return [];
      return applySystemLabels(command, requirePresent(state, command));
    case 'ApplySystemTaints':
      if (state.status === 'removed') return [];
      return applySystemTaints(command, requirePresent(state, command));
    case 'ApplySystemAnnotations':
      if (state.status === 'removed') return [];
      return applySystemAnnotations(command, requirePresent(state, command));
    case 'LiftCapacityCordon':
      return liftCapacityCordon(command, state);
  }
}

export const nodeDecider: Decider<NodeState, NodeCommand, NodeEvent> = {
  decide,
  evolve: evolveNode,
  initialState: initialNodeState,
};

/** Stream id of a node: one stream per (cluster, name), so a duplicate join finds the existing stream. */
export function nodeStreamId(clusterId: string, nodeName: string): string {
  return `node-${clusterId}-${nodeName}`;
}
