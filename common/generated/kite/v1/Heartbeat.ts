// Original file: proto/kite/v1/agent.proto

import type { PodUsage as _kite_v1_PodUsage, PodUsage__Output as _kite_v1_PodUsage__Output } from '../../kite/v1/PodUsage';
import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'cpu_usage_millis'?: (number | string | Long);
  'memory_usage_bytes'?: (number | string | Long);
  'pods'?: (_kite_v1_PodUsage)[];
}

export interface Heartbeat__Output {
  'cpu_usage_millis': (string);
  'memory_usage_bytes': (string);
  'pods': (_kite_v1_PodUsage__Output)[];
}
