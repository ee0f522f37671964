import type { HealthTaint, ReadyCondition, Verdict, VerdictRule } from '@edgeplane/contracts';

const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';

const UNREACHABLE_NO_SCHEDULE: HealthTaint = { key: TAINT_UNREACHABLE, value: '', effect: 'NoSchedule' };
const UNREACHABLE_NO_EXECUTE: HealthTaint = { key: TAINT_UNREACHABLE, value: '', effect: 'NoExecute' };
const NOT_READY_NO_SCHEDULE: HealthTaint = { key: TAINT_NOT_READY, value: '', effect: 'NoSchedule' };

/**
 * The arbiter-owned taints of a verdict, as Kubernetes' node-lifecycle controller would place them:
 * a node the cloud lost gets `unreachable:NoSchedule`, plus `unreachable:NoExecute` only when
 * eviction is allowed; a node never heard yet gets `not-ready:NoSchedule` (what a registering
 * kubelet carries until its first Ready status). Ready → no taints.
 */
export function taintsOf(verdict: Verdict): HealthTaint[] {
  switch (verdict) {
    case 'Ready':
      return [];
    case 'Unknown':
      return [{ ...NOT_READY_NO_SCHEDULE }];
    case 'NotReadyNoSchedule':
      return [{ ...UNREACHABLE_NO_SCHEDULE }];
    case 'NotReadyNoExecute':
      return [{ ...UNREACHABLE_NO_SCHEDULE }, { ...UNREACHABLE_NO_EXECUTE }];
  }
}

const RULE_TEXT: Record<VerdictRule, string> = {
  'awaiting-first-heartbeat': 'registered, the cloud has not heard the node yet (inside the grace period)',
  'cloud-contact': 'the cloud hears the node; peers cannot overrule a live cloud link',
  'no-eviction-mode': 'cloud lost; global no-eviction mode is on, so the NoExecute taint is withheld',
  'standard-no-unit':
    'cloud lost; multi-region mode and the node is in no NodeUnit: not peer-checked, standard Kubernetes eviction',
  'standard-check-disabled':
    "cloud lost; health check is switched off for the node's NodeUnit(s): standard Kubernetes eviction",
  'membership-catching-up':
    'cloud lost; the node is in no NodeUnit as far as the arbiter knows, but it has not caught up with the membership events yet: no eviction until it has',
  'unit-dark-freeze':
    'cloud lost together with every node of its NodeUnit: cannot tell a site outage from failures, frozen (no eviction)',
  'peers-confirm-down': 'cloud lost and a majority of its peers report it unreachable: evicted',
  'peers-vouch':
    'cloud lost but a majority of its peers report it healthy: no new pods, pods and endpoints stay',
  'no-quorum':
    'cloud lost and too few fresh peer votes for a majority: no new pods, no eviction without a quorum',
};

export function ruleText(rule: VerdictRule): string {
  return RULE_TEXT[rule];
}

/** The node's Ready condition for a verdict (status Unknown = the cloud lost its heartbeats). */
export function conditionOf(verdict: Verdict, rule: VerdictRule): ReadyCondition {
  switch (verdict) {
    case 'Ready':
      return { type: 'Ready', status: 'True', reason: 'NodeHeard', message: ruleText(rule) };
    case 'Unknown':
      return { type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: ruleText(rule) };
    case 'NotReadyNoSchedule':
    case 'NotReadyNoExecute':
      return { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: ruleText(rule) };
  }
}
