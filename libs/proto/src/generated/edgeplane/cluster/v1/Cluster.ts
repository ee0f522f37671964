// Original file: edgeplane/cluster/v1/cluster.proto

import type { TierCaps as _edgeplane_cluster_v1_TierCaps, TierCaps__Output as _edgeplane_cluster_v1_TierCaps__Output } from '../../../edgeplane/cluster/v1/TierCaps.js';
import type { Usage as _edgeplane_cluster_v1_Usage, Usage__Output as _edgeplane_cluster_v1_Usage__Output } from '../../../edgeplane/cluster/v1/Usage.js';
import type { AccessState as _edgeplane_cluster_v1_AccessState, AccessState__Output as _edgeplane_cluster_v1_AccessState__Output } from '../../../edgeplane/cluster/v1/AccessState.js';

export interface Cluster {
  'id'?: (string);
  'name'?: (string);
  'description'?: (string);
  'kubernetesVersion'?: (string);
  'runtime'?: (string);
  'region'?: (string);
  'kubeProxyMode'?: (string);
  'vpcId'?: (string);
  'vpcCidr'?: (string);
  'podCidr'?: (string);
  'serviceCidr'?: (string);
  'nodeCidrs'?: (string)[];
  'tier'?: (_edgeplane_cluster_v1_TierCaps | null);
  'autoUpgrade'?: (boolean);
  'usage'?: (_edgeplane_cluster_v1_Usage | null);
  'access'?: (_edgeplane_cluster_v1_AccessState | null);
  'remoteLogin'?: (boolean);
  'status'?: (string);
  'caFingerprint'?: (string);
  'createdAt'?: (string);
  'overCapacityNodes'?: (number);
}

export interface Cluster__Output {
  'id': (string);
  'name': (string);
  'description': (string);
  'kubernetesVersion': (string);
  'runtime': (string);
  'region': (string);
  'kubeProxyMode': (string);
  'vpcId': (string);
  'vpcCidr': (string);
  'podCidr': (string);
  'serviceCidr': (string);
  'nodeCidrs': (string)[];
  'tier': (_edgeplane_cluster_v1_TierCaps__Output | null);
  'autoUpgrade': (boolean);
  'usage': (_edgeplane_cluster_v1_Usage__Output | null);
  'access': (_edgeplane_cluster_v1_AccessState__Output | null);
  'remoteLogin': (boolean);
  'status': (string);
  'caFingerprint': (string);
  'createdAt': (string);
  'overCapacityNodes': (number);
}
