// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { ServicePort as _edgeplane_tunnel_v1_ServicePort, ServicePort__Output as _edgeplane_tunnel_v1_ServicePort__Output } from '../../../edgeplane/tunnel/v1/ServicePort.js';
import type { ServiceEndpoint as _edgeplane_tunnel_v1_ServiceEndpoint, ServiceEndpoint__Output as _edgeplane_tunnel_v1_ServiceEndpoint__Output } from '../../../edgeplane/tunnel/v1/ServiceEndpoint.js';

export interface ServiceEntry {
  'name'?: (string);
  'namespace'?: (string);
  'grid'?: (string);
  'unit'?: (string);
  'ports'?: (_edgeplane_tunnel_v1_ServicePort)[];
  'endpoints'?: (_edgeplane_tunnel_v1_ServiceEndpoint)[];
}

export interface ServiceEntry__Output {
  'name': (string);
  'namespace': (string);
  'grid': (string);
  'unit': (string);
  'ports': (_edgeplane_tunnel_v1_ServicePort__Output)[];
  'endpoints': (_edgeplane_tunnel_v1_ServiceEndpoint__Output)[];
}
