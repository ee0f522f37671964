import type {
  NodeEvictionRequestedData,
  NodeVerdictChangedData,
  Verdict,
  VerdictRule,
} from '@edgeplane/contracts';

/**
 * The persisted verdict of one node (stream `health-verdict:<clusterId>:<node>`). The engine
 * (../engine) decides WHAT the verdict is from signals; this aggregate only records it, so that
 * a redelivered or repeated change is a no-op and a restarted arbiter can seed itself from the
 * folded state (see ClusterHealthEngine.restore).
 */
export type NodeVerdictState =
  | { status: 'unjudged' }
  | {
      status: 'judged';
      clusterId: string;
      node: string;
      verdict: Verdict;
      rule: VerdictRule;
      since: string;
      /** the stream's version (events folded, evictions included) */
      version: number;
    };

export type NodeVerdictEvent =
  | { type: 'NodeVerdictChanged'; data: NodeVerdictChangedData }
  | { type: 'NodeEvictionRequested'; data: NodeEvictionRequestedData };

export const initialState: NodeVerdictState = { status: 'unjudged' };

export function evolve(state: NodeVerdictState, event: NodeVerdictEvent): NodeVerdictState {
  const version = (state.status === 'judged' ? state.version : 0) + 1;
  if (event.type === 'NodeEvictionRequested')
    return state.status === 'judged' ? { ...state, version } : state;
  const d = event.data;
  return {
    status: 'judged',
    clusterId: d.clusterId,
    node: d.node,
    verdict: d.verdict,
    rule: d.rule,
    since: d.at,
    version,
  };
}
