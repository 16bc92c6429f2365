// Original file: proto/kite/v1/agent.proto

import type { Taint as _kite_v1_Taint, Taint__Output as _kite_v1_Taint__Output } from '../../kite/v1/Taint';
import type { Long } from '@grpc/proto-loader';

export interface NodeInfo {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'taints'?: (_kite_v1_Taint)[];
  'cpu_millis'?: (number | string | Long);
  'memory_bytes'?: (number | string | Long);
  'max_pods'?: (number);
  'os'?: (string);
  'arch'?: (string);
  'kernel_version'?: (string);
  'runtime'?: (string);
  'runtime_version'?: (string);
  'address'?: (string);
  'metrics_port'?: (number);
  'stream_port'?: (number);
  'agent_version'?: (string);
  'hostname'?: (string);
  'vtep_mac'?: (string);
  'storage_dir'?: (string);
}

export interface NodeInfo__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'taints': (_kite_v1_Taint__Output)[];
  'cpu_millis': (string);
  'memory_bytes': (string);
  'max_pods': (number);
  'os': (string);
  'arch': (string);
  'kernel_version': (string);
  'runtime': (string);
  'runtime_version': (string);
  'address': (string);
  'metrics_port': (number);
  'stream_port': (number);
  'agent_version': (string);
  'hostname': (string);
  'vtep_mac': (string);
  'storage_dir': (string);
}
