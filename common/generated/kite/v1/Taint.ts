// Original file: proto/kite/v1/agent.proto


export interface Taint {
  'key'?: (string);
  'value'?: (string);
  'effect'?: (string);
}

export interface Taint__Output {
  'key': (string);
  'value': (string);
  'effect': (string);
}
