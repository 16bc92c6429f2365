// Original file: proto/kite/v1/agent.proto


export interface AgentPortForwardStart {
  'pod_uid'?: (string);
  'port'?: (number);
}

export interface AgentPortForwardStart__Output {
  'pod_uid': (string);
  'port': (number);
}
