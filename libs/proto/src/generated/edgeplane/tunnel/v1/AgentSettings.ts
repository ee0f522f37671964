// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface AgentSettings {
  'heartbeatPeriodSeconds'?: (number);
  'probePeriodSeconds'?: (number);
  'probeTimeoutMs'?: (number);
}

export interface AgentSettings__Output {
  'heartbeatPeriodSeconds': (number);
  'probePeriodSeconds': (number);
  'probeTimeoutMs': (number);
}
