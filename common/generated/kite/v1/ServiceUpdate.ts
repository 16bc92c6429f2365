// Original file: proto/kite/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ServiceUpdate {
  'sequence'?: (number | string | Long);
  'full'?: (boolean);
  'services_json'?: (string)[];
  'endpoints_json'?: (string)[];
  'removed_services'?: (string)[];
  'removed_endpoints'?: (string)[];
}

export interface ServiceUpdate__Output {
  'sequence': (string);
  'full': (boolean);
  'services_json': (string)[];
  'endpoints_json': (string)[];
  'removed_services': (string)[];
  'removed_endpoints': (string)[];
}
