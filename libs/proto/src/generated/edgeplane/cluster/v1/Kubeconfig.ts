// Original file: edgeplane/cluster/v1/cluster.proto


export interface Kubeconfig {
  'clusterId'?: (string);
  'kubeconfigYaml'?: (string);
  'credentialSerial'?: (string);
  'credentialFingerprint'?: (string);
  'notAfter'?: (string);
  'revokedSerial'?: (string);
  'user'?: (string);
  'role'?: (string);
}

export interface Kubeconfig__Output {
  'clusterId': (string);
  'kubeconfigYaml': (string);
  'credentialSerial': (string);
  'credentialFingerprint': (string);
  'notAfter': (string);
  'revokedSerial': (string);
  'user': (string);
  'role': (string);
}
