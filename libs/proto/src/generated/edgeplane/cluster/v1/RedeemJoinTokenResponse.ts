// Original file: edgeplane/cluster/v1/cluster.proto


export interface RedeemJoinTokenResponse {
  'clusterId'?: (string);
  'nodeName'?: (string);
  'certificatePem'?: (string);
  'caCertificatePem'?: (string);
  'containerDir'?: (string);
  'preInstallScript'?: (string);
  'postInstallScript'?: (string);
  'cordoned'?: (boolean);
  'cordonReason'?: (string);
}

export interface RedeemJoinTokenResponse__Output {
  'clusterId': (string);
  'nodeName': (string);
  'certificatePem': (string);
  'caCertificatePem': (string);
  'containerDir': (string);
  'preInstallScript': (string);
  'postInstallScript': (string);
  'cordoned': (boolean);
  'cordonReason': (string);
}
