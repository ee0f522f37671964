// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { PortRange as _edgeplane_nodepool_v1_PortRange, PortRange__Output as _edgeplane_nodepool_v1_PortRange__Output } from '../../../edgeplane/nodepool/v1/PortRange.js';

export interface PromoteRequest {
  'cluster'?: (string);
  'unit'?: (string);
  'mode'?: (string);
  'servers'?: (string)[];
  'serviceCidr'?: (string);
  'nodePortRange'?: (_edgeplane_nodepool_v1_PortRange | null);
}

export interface PromoteRequest__Output {
  'cluster': (string);
  'unit': (string);
  'mode': (string);
  'servers': (string)[];
  'serviceCidr': (string);
  'nodePortRange': (_edgeplane_nodepool_v1_PortRange__Output | null);
}
