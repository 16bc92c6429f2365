// Original file: proto/kite/v1/agent.proto

import type { ContainerUsage as _kite_v1_ContainerUsage, ContainerUsage__Output as _kite_v1_ContainerUsage__Output } from '../../kite/v1/ContainerUsage';

export interface PodUsage {
  'uid'?: (string);
  'containers'?: (_kite_v1_ContainerUsage)[];
}

export interface PodUsage__Output {
  'uid': (string);
  'containers': (_kite_v1_ContainerUsage__Output)[];
}
