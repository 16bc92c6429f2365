// Original file: proto/kite/v1/agent.proto

import type { PodNetwork as _kite_v1_PodNetwork, PodNetwork__Output as _kite_v1_PodNetwork__Output } from '../../kite/v1/PodNetwork';

export interface Welcome {
  'node_name'?: (string);
  'heartbeat_period_ms'?: (number);
  'controller_id'?: (string);
  'network'?: (_kite_v1_PodNetwork | null);
}

export interface Welcome__Output {
  'node_name': (string);
  'heartbeat_period_ms': (number);
  'controller_id': (string);
  'network': (_kite_v1_PodNetwork__Output | null);
}
