// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { ContainerSpec as _edgeplane_tunnel_v1_ContainerSpec, ContainerSpec__Output as _edgeplane_tunnel_v1_ContainerSpec__Output } from '../../../edgeplane/tunnel/v1/ContainerSpec.js';

export interface PodSpec {
  'name'?: (string);
  'namespace'?: (string);
  'uid'?: (string);
  'containers'?: (_edgeplane_tunnel_v1_ContainerSpec)[];
  'restartPolicy'?: (string);
  'labels'?: ({[key: string]: string});
  'terminationGracePeriodSeconds'?: (number);
  'grid'?: (string);
  'unit'?: (string);
  'revision'?: (string);
}

export interface PodSpec__Output {
  'name': (string);
  'namespace': (string);
  'uid': (string);
  'containers': (_edgeplane_tunnel_v1_ContainerSpec__Output)[];
  'restartPolicy': (string);
  'labels': ({[key: string]: string});
  'terminationGracePeriodSeconds': (number);
  'grid': (string);
  'unit': (string);
  'revision': (string);
}
