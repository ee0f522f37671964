// Original file: edgeplane/cluster/v1/cluster.proto

import type { Cluster as _edgeplane_cluster_v1_Cluster, Cluster__Output as _edgeplane_cluster_v1_Cluster__Output } from '../../../edgeplane/cluster/v1/Cluster.js';

export interface ListClustersResponse {
  'clusters'?: (_edgeplane_cluster_v1_Cluster)[];
  'nextPageToken'?: (string);
}

export interface ListClustersResponse__Output {
  'clusters': (_edgeplane_cluster_v1_Cluster__Output)[];
  'nextPageToken': (string);
}
