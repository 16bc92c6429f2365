// Original file: proto/kite/v1/agent.proto

import type { ContainerStatus as _kite_v1_ContainerStatus, ContainerStatus__Output as _kite_v1_ContainerStatus__Output } from '../../kite/v1/ContainerStatus';

export interface PodStatusReport {
  'uid'?: (string);
  'namespace'?: (string);
  'name'?: (string);
  'phase'?: (string);
  'reason'?: (string);
  'message'?: (string);
  'ready'?: (boolean);
  'pod_ip'?: (string);
  'start_time'?: (string);
  'containers'?: (_kite_v1_ContainerStatus)[];
  'observed_at'?: (string);
  'terminated'?: (boolean);
  'init_containers'?: (_kite_v1_ContainerStatus)[];
  'initializing'?: (boolean);
}

export interface PodStatusReport__Output {
  'uid': (string);
  'namespace': (string);
  'name': (string);
  'phase': (string);
  'reason': (string);
  'message': (string);
  'ready': (boolean);
  'pod_ip': (string);
  'start_time': (string);
  'containers': (_kite_v1_ContainerStatus__Output)[];
  'observed_at': (string);
  'terminated': (boolean);
  'init_containers': (_kite_v1_ContainerStatus__Output)[];
  'initializing': (boolean);
}
