// Original file: proto/kite/v1/agent.proto


export interface PodAssignment {
  'pod_json'?: (string);
  'config_maps_json'?: (string)[];
  'secrets_json'?: (string)[];
}

export interface PodAssignment__Output {
  'pod_json': (string);
  'config_maps_json': (string)[];
  'secrets_json': (string)[];
}
