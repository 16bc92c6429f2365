// Original file: proto/kite/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ContainerUsage {
  'name'?: (string);
  'cpu_seconds'?: (number | string);
  'memory_working_set_bytes'?: (number | string | Long);
}

export interface ContainerUsage__Output {
  'name': (string);
  'cpu_seconds': (number);
  'memory_working_set_bytes': (string);
}
