// Original file: edgeplane/cluster/v1/cluster.proto


export interface CreateClusterRequest {
  'name'?: (string);
  'kubernetesVersion'?: (string);
  'runtime'?: (string);
  'region'?: (string);
  'description'?: (string);
  'kubeProxyMode'?: (string);
  'vpcId'?: (string);
  'vpcCidr'?: (string);
  'podCidr'?: (string);
  'serviceCidr'?: (string);
  'nodeCidrs'?: (string)[];
  'tier'?: (string);
  'autoUpgrade'?: (boolean);
  'dryRun'?: (boolean);
}

export interface CreateClusterRequest__Output {
  'name': (string);
  'kubernetesVersion': (string);
  'runtime': (string);
  'region': (string);
  'description': (string);
  'kubeProxyMode': (string);
  'vpcId': (string);
  'vpcCidr': (string);
  'podCidr': (string);
  'serviceCidr': (string);
  'nodeCidrs': (string)[];
  'tier': (string);
  'autoUpgrade': (boolean);
  'dryRun': (boolean);
}
