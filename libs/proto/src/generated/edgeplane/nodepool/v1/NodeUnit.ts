// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeUnitSpec as _edgeplane_nodepool_v1_NodeUnitSpec, NodeUnitSpec__Output as _edgeplane_nodepool_v1_NodeUnitSpec__Output } from '../../../edgeplane/nodepool/v1/NodeUnitSpec.js';
import type { NodeUnitStatus as _edgeplane_nodepool_v1_NodeUnitStatus, NodeUnitStatus__Output as _edgeplane_nodepool_v1_NodeUnitStatus__Output } from '../../../edgeplane/nodepool/v1/NodeUnitStatus.js';

export interface NodeUnit {
  'clusterId'?: (string);
  'name'?: (string);
  'spec'?: (_edgeplane_nodepool_v1_NodeUnitSpec | null);
  'isDefault'?: (boolean);
  'managedBy'?: (string);
  'members'?: (string)[];
  'groups'?: (string)[];
  'kinsPhase'?: (string);
  'status'?: (_edgeplane_nodepool_v1_NodeUnitStatus | null);
  'createdAt'?: (string);
}

export interface NodeUnit__Output {
  'clusterId': (string);
  'name': (string);
  'spec': (_edgeplane_nodepool_v1_NodeUnitSpec__Output | null);
  'isDefault': (boolean);
  'managedBy': (string);
  'members': (string)[];
  'groups': (string)[];
  'kinsPhase': (string);
  'status': (_edgeplane_nodepool_v1_NodeUnitStatus__Output | null);
  'createdAt': (string);
}
