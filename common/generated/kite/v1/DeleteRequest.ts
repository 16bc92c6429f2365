// Original file: proto/kite/v1/api.proto

import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from '../../kite/v1/ObjectRef';

export interface DeleteRequest {
  'ref'?: (_kite_v1_ObjectRef | null);
  'resource_version'?: (string);
  'orphan'?: (boolean);
}

export interface DeleteRequest__Output {
  'ref': (_kite_v1_ObjectRef__Output | null);
  'resource_version': (string);
  'orphan': (boolean);
}
