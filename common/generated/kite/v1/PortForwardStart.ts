// Original file: proto/kite/v1/api.proto


export interface PortForwardStart {
  'namespace'?: (string);
  'pod'?: (string);
  'port'?: (number);
}

export interface PortForwardStart__Output {
  'namespace': (string);
  'pod': (string);
  'port': (number);
}
