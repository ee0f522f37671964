import type { Decider } from '@edgeplane/es-kit';
import { decide, type NodeVerdictCommand } from './verdict.decide.js';
import { evolve, initialState, type NodeVerdictEvent, type NodeVerdictState } from './verdict.state.js';

export type { NodeVerdictCommand, RecordVerdict } from './verdict.decide.js';
export type { NodeVerdictEvent, NodeVerdictState } from './verdict.state.js';

/** The NodeVerdict aggregate of one node: state and evolve in ./verdict.state.ts, the rule in ./verdict.decide.ts. */
export const nodeVerdictDecider: Decider<NodeVerdictState, NodeVerdictCommand, NodeVerdictEvent> = {
  decide,
  evolve,
  initialState,
};

export function nodeVerdictStreamId(clusterId: string, node: string): string {
  return `health-verdict:${clusterId}:${node}`;
}
