// Original file: proto/kite/v1/api.proto

import type { ApplyResult as _kite_v1_ApplyResult, ApplyResult__Output as _kite_v1_ApplyResult__Output } from '../../kite/v1/ApplyResult';

export interface ApplyResponse {
  'results'?: (_kite_v1_ApplyResult)[];
  'warnings'?: (string)[];
}

export interface ApplyResponse__Output {
  'results': (_kite_v1_ApplyResult__Output)[];
  'warnings': (string)[];
}
