// Original file: proto/kite/v1/agent.proto


export interface JoinRequest {
  'token'?: (string);
  'node_name'?: (string);
  'csr'?: (string);
}

export interface JoinRequest__Output {
  'token': (string);
  'node_name': (string);
  'csr': (string);
}
