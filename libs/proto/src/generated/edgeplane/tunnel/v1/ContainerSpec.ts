// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { EnvVar as _edgeplane_tunnel_v1_EnvVar, EnvVar__Output as _edgeplane_tunnel_v1_EnvVar__Output } from '../../../edgeplane/tunnel/v1/EnvVar.js';
import type { ContainerPort as _edgeplane_tunnel_v1_ContainerPort, ContainerPort__Output as _edgeplane_tunnel_v1_ContainerPort__Output } from '../../../edgeplane/tunnel/v1/ContainerPort.js';
import type { Probe as _edgeplane_tunnel_v1_Probe, Probe__Output as _edgeplane_tunnel_v1_Probe__Output } from '../../../edgeplane/tunnel/v1/Probe.js';
import type { ResourceRequirements as _edgeplane_tunnel_v1_ResourceRequirements, ResourceRequirements__Output as _edgeplane_tunnel_v1_ResourceRequirements__Output } from '../../../edgeplane/tunnel/v1/ResourceRequirements.js';

export interface ContainerSpec {
  'name'?: (string);
  'image'?: (string);
  'imagePullPolicy'?: (string);
  'command'?: (string)[];
  'args'?: (string)[];
  'env'?: (_edgeplane_tunnel_v1_EnvVar)[];
  'workingDir'?: (string);
  'ports'?: (_edgeplane_tunnel_v1_ContainerPort)[];
  'readinessProbe'?: (_edgeplane_tunnel_v1_Probe | null);
  'livenessProbe'?: (_edgeplane_tunnel_v1_Probe | null);
  'resources'?: (_edgeplane_tunnel_v1_ResourceRequirements | null);
}

export interface ContainerSpec__Output {
  'name': (string);
  'image': (string);
  'imagePullPolicy': (string);
  'command': (string)[];
  'args': (string)[];
  'env': (_edgeplane_tunnel_v1_EnvVar__Output)[];
  'workingDir': (string);
  'ports': (_edgeplane_tunnel_v1_ContainerPort__Output)[];
  'readinessProbe': (_edgeplane_tunnel_v1_Probe__Output | null);
  'livenessProbe': (_edgeplane_tunnel_v1_Probe__Output | null);
  'resources': (_edgeplane_tunnel_v1_ResourceRequirements__Output | null);
}
