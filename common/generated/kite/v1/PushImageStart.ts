// Original file: proto/kite/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface PushImageStart {
  'image'?: (string);
  'image_id'?: (string);
  'size_bytes'?: (number | string | Long);
  'nodes'?: (string)[];
}

export interface PushImageStart__Output {
  'image': (string);
  'image_id': (string);
  'size_bytes': (string);
  'nodes': (string)[];
}
