// Original file: edgeplane/cluster/v1/cluster.proto

import type { Node as _edgeplane_cluster_v1_Node, Node__Output as _edgeplane_cluster_v1_Node__Output } from '../../../edgeplane/cluster/v1/Node.js';
import type { NodeCondition as _edgeplane_cluster_v1_NodeCondition, NodeCondition__Output as _edgeplane_cluster_v1_NodeCondition__Output } from '../../../edgeplane/cluster/v1/NodeCondition.js';
import type { NodeEvent as _edgeplane_cluster_v1_NodeEvent, NodeEvent__Output as _edgeplane_cluster_v1_NodeEvent__Output } from '../../../edgeplane/cluster/v1/NodeEvent.js';

export interface NodeDetail {
  'node'?: (_edgeplane_cluster_v1_Node | null);
  'conditions'?: (_edgeplane_cluster_v1_NodeCondition)[];
  'events'?: (_edgeplane_cluster_v1_NodeEvent)[];
  'yaml'?: (string);
}

export interface NodeDetail__Output {
  'node': (_edgeplane_cluster_v1_Node__Output | null);
  'conditions': (_edgeplane_cluster_v1_NodeCondition__Output)[];
  'events': (_edgeplane_cluster_v1_NodeEvent__Output)[];
  'yaml': (string);
}
