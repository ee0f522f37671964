// Original file: edgeplane/cluster/v1/cluster.proto


export interface RedeemJoinTokenRequest {
  'token'?: (string);
  'nodeName'?: (string);
  'csrPem'?: (string);
  'arch'?: (string);
  'os'?: (string);
  'interface'?: (string);
  'ips'?: (string)[];
  'gpuModel'?: (string);
}

export interface RedeemJoinTokenRequest__Output {
  'token': (string);
  'nodeName': (string);
  'csrPem': (string);
  'arch': (string);
  'os': (string);
  'interface': (string);
  'ips': (string)[];
  'gpuModel': (string);
}
