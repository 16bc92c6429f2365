// Original file: proto/kite/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateKubeconfigRequest {
  'user'?: (string);
  'ttl_seconds'?: (number | string | Long);
}

export interface CreateKubeconfigRequest__Output {
  'user': (string);
  'ttl_seconds': (string);
}
