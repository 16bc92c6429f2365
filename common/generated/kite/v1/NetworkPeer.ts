// Original file: proto/kite/v1/agent.proto


export interface NetworkPeer {
  'node'?: (string);
  'address'?: (string);
  'pod_cidr'?: (string);
  'vtep_mac'?: (string);
}

export interface NetworkPeer__Output {
  'node': (string);
  'address': (string);
  'pod_cidr': (string);
  'vtep_mac': (string);
}
