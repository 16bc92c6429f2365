// Original file: proto/kite/v1/api.proto

import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from '../../kite/v1/ObjectRef';

export interface DeleteRequest {
  'ref'?: (_kite_v1_ObjectRef | null);
  'resource_version'?: (string);
  'grace_period_seconds'?: (number);
  '_grace_period_seconds'?: "grace_period_seconds";
}

export interface DeleteRequest__Output {
  'ref': (_kite_v1_ObjectRef__Output | null);
  'resource_version': (string);
  'grace_period_seconds'?: (number);
  '_grace_period_seconds'?: "grace_period_seconds";
}
