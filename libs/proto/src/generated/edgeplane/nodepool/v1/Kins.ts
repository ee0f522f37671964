// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { KinsNode as _edgeplane_nodepool_v1_KinsNode, KinsNode__Output as _edgeplane_nodepool_v1_KinsNode__Output } from '../../../edgeplane/nodepool/v1/KinsNode.js';
import type { PortRange as _edgeplane_nodepool_v1_PortRange, PortRange__Output as _edgeplane_nodepool_v1_PortRange__Output } from '../../../edgeplane/nodepool/v1/PortRange.js';

export interface Kins {
  'clusterId'?: (string);
  'unit'?: (string);
  'phase'?: (string);
  'generation'?: (number);
  'mode'?: (string);
  'nodes'?: (_edgeplane_nodepool_v1_KinsNode)[];
  'serviceCidr'?: (string);
  'clusterDns'?: (string);
  'nodePortRange'?: (_edgeplane_nodepool_v1_PortRange | null);
  'internalKubeconfigRef'?: (string);
  'publicKubeconfigRef'?: (string);
  'publicAccess'?: (boolean);
  'failureReason'?: (string);
  'apiServerEndpoint'?: (string);
  'k3sVersion'?: (string);
}

export interface Kins__Output {
  'clusterId': (string);
  'unit': (string);
  'phase': (string);
  'generation': (number);
  'mode': (string);
  'nodes': (_edgeplane_nodepool_v1_KinsNode__Output)[];
  'serviceCidr': (string);
  'clusterDns': (string);
  'nodePortRange': (_edgeplane_nodepool_v1_PortRange__Output | null);
  'internalKubeconfigRef': (string);
  'publicKubeconfigRef': (string);
  'publicAccess': (boolean);
  'failureReason': (string);
  'apiServerEndpoint': (string);
  'k3sVersion': (string);
}
