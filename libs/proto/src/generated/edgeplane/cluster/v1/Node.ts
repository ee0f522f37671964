// Original file: edgeplane/cluster/v1/cluster.proto

import type { NodeInventory as _edgeplane_cluster_v1_NodeInventory, NodeInventory__Output as _edgeplane_cluster_v1_NodeInventory__Output } from '../../../edgeplane/cluster/v1/NodeInventory.js';
import type { Taint as _edgeplane_cluster_v1_Taint, Taint__Output as _edgeplane_cluster_v1_Taint__Output } from '../../../edgeplane/cluster/v1/Taint.js';
import type { Cordon as _edgeplane_cluster_v1_Cordon, Cordon__Output as _edgeplane_cluster_v1_Cordon__Output } from '../../../edgeplane/cluster/v1/Cordon.js';
import type { LabelLayer as _edgeplane_cluster_v1_LabelLayer, LabelLayer__Output as _edgeplane_cluster_v1_LabelLayer__Output } from '../../../edgeplane/cluster/v1/LabelLayer.js';
import type { TaintLayer as _edgeplane_cluster_v1_TaintLayer, TaintLayer__Output as _edgeplane_cluster_v1_TaintLayer__Output } from '../../../edgeplane/cluster/v1/TaintLayer.js';

export interface Node {
  'clusterId'?: (string);
  'name'?: (string);
  'source'?: (string);
  'provider'?: (string);
  'machineId'?: (string);
  'inventory'?: (_edgeplane_cluster_v1_NodeInventory | null);
  'labels'?: ({[key: string]: string});
  'operatorLabels'?: ({[key: string]: string});
  'taints'?: (_edgeplane_cluster_v1_Taint)[];
  'schedulable'?: (boolean);
  'cordons'?: (_edgeplane_cluster_v1_Cordon)[];
  'draining'?: (boolean);
  'joinedAt'?: (string);
  'credentialSerial'?: (string);
  'credentialNotAfter'?: (string);
  'gpuDevicePlugin'?: (boolean);
  'systemLabels'?: (_edgeplane_cluster_v1_LabelLayer)[];
  'systemTaints'?: (_edgeplane_cluster_v1_TaintLayer)[];
  'operatorTaints'?: (_edgeplane_cluster_v1_Taint)[];
  'ready'?: (string);
  'clusterName'?: (string);
  'tokenId'?: (string);
  'annotations'?: ({[key: string]: string});
  'systemAnnotations'?: (_edgeplane_cluster_v1_LabelLayer)[];
}

export interface Node__Output {
  'clusterId': (string);
  'name': (string);
  'source': (string);
  'provider': (string);
  'machineId': (string);
  'inventory': (_edgeplane_cluster_v1_NodeInventory__Output | null);
  'labels': ({[key: string]: string});
  'operatorLabels': ({[key: string]: string});
  'taints': (_edgeplane_cluster_v1_Taint__Output)[];
  'schedulable': (boolean);
  'cordons': (_edgeplane_cluster_v1_Cordon__Output)[];
  'draining': (boolean);
  'joinedAt': (string);
  'credentialSerial': (string);
  'credentialNotAfter': (string);
  'gpuDevicePlugin': (boolean);
  'systemLabels': (_edgeplane_cluster_v1_LabelLayer__Output)[];
  'systemTaints': (_edgeplane_cluster_v1_TaintLayer__Output)[];
  'operatorTaints': (_edgeplane_cluster_v1_Taint__Output)[];
  'ready': (string);
  'clusterName': (string);
  'tokenId': (string);
  'annotations': ({[key: string]: string});
  'systemAnnotations': (_edgeplane_cluster_v1_LabelLayer__Output)[];
}
