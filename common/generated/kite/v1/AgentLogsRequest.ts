// Original file: proto/kite/v1/agent.proto


export interface AgentLogsRequest {
  'pod_uid'?: (string);
  'container'?: (string);
  'follow'?: (boolean);
  'tail_lines'?: (number);
  'timestamps'?: (boolean);
  'previous'?: (boolean);
}

export interface AgentLogsRequest__Output {
  'pod_uid': (string);
  'container': (string);
  'follow': (boolean);
  'tail_lines': (number);
  'timestamps': (boolean);
  'previous': (boolean);
}
