import type {
  NodeEvictionRequestedData,
  NodeVerdictChangedData,
  Verdict,
  VerdictRule,
} from '@edgeplane/contracts';
import { ValidationError, type Decider, type FieldViolation } from '@edgeplane/es-kit';
import { ruleText } from '../engine/verdict-table.js';

/**
 * The persisted verdict of one node (stream `health-verdict:<clusterId>:<node>`). The engine
 * (../engine) decides WHAT the verdict is from signals; this aggregate only records it, so that
 * a redelivered or repeated change is a no-op and a restarted arbiter can seed itself from the
 * folded state (see ClusterHealthEngine.restore).
 */
export type NodeVerdictState =
  | { status: 'unjudged' }
  | { status: 'judged'; clusterId: string; node: string; verdict: Verdict; rule: VerdictRule; since: string };

/** Everything of a NodeVerdictChanged except `previous`, which the aggregate knows itself. */
export interface RecordVerdict {
  type: 'RecordVerdict';
  change: Omit<NodeVerdictChangedData, 'previous'> & { previous?: NodeVerdictChangedData['previous'] };
}

export type NodeVerdictCommand = RecordVerdict;
export type NodeVerdictEvent =
  | { type: 'NodeVerdictChanged'; data: NodeVerdictChangedData }
  | { type: 'NodeEvictionRequested'; data: NodeEvictionRequestedData };

export function decide(command: NodeVerdictCommand, state: NodeVerdictState): NodeVerdictEvent[] {
  const { change } = command;
  const violations: FieldViolation[] = [];
  if (change.clusterId === '')
    violations.push({ field: 'change.clusterId', description: 'must not be empty' });
  if (change.node === '') violations.push({ field: 'change.node', description: 'must not be empty' });
  if (state.status === 'judged' && (state.clusterId !== change.clusterId || state.node !== change.node)) {
    violations.push({
      field: 'change.node',
      description: `"${change.clusterId}/${change.node}" does not match this stream's node "${state.clusterId}/${state.node}"`,
    });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const previous = state.status === 'judged' ? state.verdict : null;
  if (previous === change.verdict) return [];
  const changed: NodeVerdictEvent = { type: 'NodeVerdictChanged', data: { ...change, previous } };
  if (change.verdict !== 'NotReadyNoExecute') return [changed];
  // Entering NoExecute: the grid service evicts on this explicit request (the engine never
  // reaches NoExecute in global no-eviction mode, so no check is needed here).
  return [
    changed,
    {
      type: 'NodeEvictionRequested',
      data: {
        clusterId: change.clusterId,
        node: change.node,
        rule: change.rule,
        reason: ruleText(change.rule),
        at: change.at,
      },
    },
  ];
}

export function evolve(state: NodeVerdictState, event: NodeVerdictEvent): NodeVerdictState {
  if (event.type === 'NodeEvictionRequested') return state;
  const d = event.data;
  return {
    status: 'judged',
    clusterId: d.clusterId,
    node: d.node,
    verdict: d.verdict,
    rule: d.rule,
    since: d.at,
  };
}

export const initialState: NodeVerdictState = { status: 'unjudged' };

export const nodeVerdictDecider: Decider<NodeVerdictState, NodeVerdictCommand, NodeVerdictEvent> = {
  decide,
  evolve,
  initialState,
};

export function nodeVerdictStreamId(clusterId: string, node: string): string {
  return `health-verdict:${clusterId}:${node}`;
}
