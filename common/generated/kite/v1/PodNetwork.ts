// Original file: proto/kite/v1/agent.proto


export interface PodNetwork {
  'pod_cidr'?: (string);
  'cluster_cidr'?: (string);
  'service_cidr'?: (string);
  'cluster_domain'?: (string);
}

export interface PodNetwork__Output {
  'pod_cidr': (string);
  'cluster_cidr': (string);
  'service_cidr': (string);
  'cluster_domain': (string);
}
