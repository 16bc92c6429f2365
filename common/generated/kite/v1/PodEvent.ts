// Original file: proto/kite/v1/agent.proto


export interface PodEvent {
  'pod_uid'?: (string);
  'type'?: (string);
  'reason'?: (string);
  'message'?: (string);
}

export interface PodEvent__Output {
  'pod_uid': (string);
  'type': (string);
  'reason': (string);
  'message': (string);
}
