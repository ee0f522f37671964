import type { NodeVerdictChangedData } from '@edgeplane/contracts';
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { ruleText } from './verdict.rules.js';
import type { NodeVerdictEvent, NodeVerdictState } from './verdict.state.js';

/** Everything of a NodeVerdictChanged except `previous`, which the aggregate knows itself. */
export interface RecordVerdict {
  type: 'RecordVerdict';
  change: Omit<NodeVerdictChangedData, 'previous'> & { previous?: NodeVerdictChangedData['previous'] };
}

export type NodeVerdictCommand = RecordVerdict;

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
  // full state: consumers keep the highest version they applied (see the event's JSDoc)
  const streamVersion = (state.status === 'judged' ? state.version : 0) + 1;
  const changed: NodeVerdictEvent = {
    type: 'NodeVerdictChanged',
    data: { ...change, previous, streamVersion },
  };
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
