// Original file: proto/kite/v1/agent.proto

import type { ContainerUsage as _kite_v1_ContainerUsage, ContainerUsage__Output as _kite_v1_ContainerUsage__Output } from '../../kite/v1/ContainerUsage';
import type { Long } from '@grpc/proto-loader';

export interface PodUsage {
  'uid'?: (string);
  'containers'?: (_kite_v1_ContainerUsage)[];
  'network_rx_bytes'?: (number | string | Long);
  'network_tx_bytes'?: (number | string | Long);
}

export interface PodUsage__Output {
  'uid': (string);
  'containers': (_kite_v1_ContainerUsage__Output)[];
  'network_rx_bytes': (string);
  'network_tx_bytes': (string);
}
