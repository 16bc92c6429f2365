// Original file: proto/kite/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface LoadImageHeader {
  'image'?: (string);
  'image_id'?: (string);
  'size_bytes'?: (number | string | Long);
}

export interface LoadImageHeader__Output {
  'image': (string);
  'image_id': (string);
  'size_bytes': (string);
}
