// Original file: edgeplane/cluster/v1/cluster.proto

import type { NodeRef as _edgeplane_cluster_v1_NodeRef, NodeRef__Output as _edgeplane_cluster_v1_NodeRef__Output } from '../../../edgeplane/cluster/v1/NodeRef.js';

export interface DrainNodeRequest {
  'node'?: (_edgeplane_cluster_v1_NodeRef | null);
  'gracePeriodSeconds'?: (number);
  '_gracePeriodSeconds'?: "gracePeriodSeconds";
}

export interface DrainNodeRequest__Output {
  'node': (_edgeplane_cluster_v1_NodeRef__Output | null);
  'gracePeriodSeconds'?: (number);
  '_gracePeriodSeconds'?: "gracePeriodSeconds";
}
