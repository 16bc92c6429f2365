// Original file: proto/kite/v1/agent.proto


export interface AgentExecStart {
  'pod_uid'?: (string);
  'container'?: (string);
  'command'?: (string)[];
  'tty'?: (boolean);
  'stdin'?: (boolean);
  'cols'?: (number);
  'rows'?: (number);
}

export interface AgentExecStart__Output {
  'pod_uid': (string);
  'container': (string);
  'command': (string)[];
  'tty': (boolean);
  'stdin': (boolean);
  'cols': (number);
  'rows': (number);
}
