// Original file: proto/kite/v1/agent.proto


export interface Welcome {
  'node_name'?: (string);
  'session_id'?: (string);
  'heartbeat_period_ms'?: (number);
  'controller_id'?: (string);
}

export interface Welcome__Output {
  'node_name': (string);
  'session_id': (string);
  'heartbeat_period_ms': (number);
  'controller_id': (string);
}
