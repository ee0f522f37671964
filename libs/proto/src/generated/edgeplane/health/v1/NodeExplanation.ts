// Original file: edgeplane/health/v1/health.proto

import type { Verdict as _edgeplane_health_v1_Verdict, Verdict__Output as _edgeplane_health_v1_Verdict__Output } from '../../../edgeplane/health/v1/Verdict.js';
import type { Taint as _edgeplane_health_v1_Taint, Taint__Output as _edgeplane_health_v1_Taint__Output } from '../../../edgeplane/health/v1/Taint.js';
import type { ReadyCondition as _edgeplane_health_v1_ReadyCondition, ReadyCondition__Output as _edgeplane_health_v1_ReadyCondition__Output } from '../../../edgeplane/health/v1/ReadyCondition.js';
import type { CloudContact as _edgeplane_health_v1_CloudContact, CloudContact__Output as _edgeplane_health_v1_CloudContact__Output } from '../../../edgeplane/health/v1/CloudContact.js';
import type { PeerVote as _edgeplane_health_v1_PeerVote, PeerVote__Output as _edgeplane_health_v1_PeerVote__Output } from '../../../edgeplane/health/v1/PeerVote.js';
import type { Quorum as _edgeplane_health_v1_Quorum, Quorum__Output as _edgeplane_health_v1_Quorum__Output } from '../../../edgeplane/health/v1/Quorum.js';
import type { VerdictChange as _edgeplane_health_v1_VerdictChange, VerdictChange__Output as _edgeplane_health_v1_VerdictChange__Output } from '../../../edgeplane/health/v1/VerdictChange.js';

export interface NodeExplanation {
  'clusterId'?: (string);
  'node'?: (string);
  'verdict'?: (_edgeplane_health_v1_Verdict);
  'rule'?: (string);
  'since'?: (string);
  'computedVerdict'?: (_edgeplane_health_v1_Verdict);
  'computedRule'?: (string);
  'explanation'?: (string);
  'taints'?: (_edgeplane_health_v1_Taint)[];
  'condition'?: (_edgeplane_health_v1_ReadyCondition | null);
  'cloud'?: (_edgeplane_health_v1_CloudContact | null);
  'scope'?: (string);
  'units'?: (string)[];
  'peers'?: (_edgeplane_health_v1_PeerVote)[];
  'quorum'?: (_edgeplane_health_v1_Quorum | null);
  'frozen'?: (boolean);
  'darkUnits'?: (string)[];
  'history'?: (_edgeplane_health_v1_VerdictChange)[];
  'holdingUntil'?: (string);
  'fromRecord'?: (boolean);
}

export interface NodeExplanation__Output {
  'clusterId': (string);
  'node': (string);
  'verdict': (_edgeplane_health_v1_Verdict__Output);
  'rule': (string);
  'since': (string);
  'computedVerdict': (_edgeplane_health_v1_Verdict__Output);
  'computedRule': (string);
  'explanation': (string);
  'taints': (_edgeplane_health_v1_Taint__Output)[];
  'condition': (_edgeplane_health_v1_ReadyCondition__Output | null);
  'cloud': (_edgeplane_health_v1_CloudContact__Output | null);
  'scope': (string);
  'units': (string)[];
  'peers': (_edgeplane_health_v1_PeerVote__Output)[];
  'quorum': (_edgeplane_health_v1_Quorum__Output | null);
  'frozen': (boolean);
  'darkUnits': (string)[];
  'history': (_edgeplane_health_v1_VerdictChange__Output)[];
  'holdingUntil': (string);
  'fromRecord': (boolean);
}
