// Original file: proto/kite/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface NodeImage {
  'names'?: (string)[];
  'size_bytes'?: (number | string | Long);
  'id'?: (string);
}

export interface NodeImage__Output {
  'names': (string)[];
  'size_bytes': (string);
  'id': (string);
}
