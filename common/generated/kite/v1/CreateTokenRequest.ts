// Original file: proto/kite/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateTokenRequest {
  'ttl_seconds'?: (number | string | Long);
  'description'?: (string);
}

export interface CreateTokenRequest__Output {
  'ttl_seconds': (string);
  'description': (string);
}
