// Original file: proto/kite/v1/api.proto

import type { TokenInfo as _kite_v1_TokenInfo, TokenInfo__Output as _kite_v1_TokenInfo__Output } from '../../kite/v1/TokenInfo';

export interface CreateTokenResponse {
  'token'?: (string);
  'info'?: (_kite_v1_TokenInfo | null);
  'ca_hash'?: (string);
}

export interface CreateTokenResponse__Output {
  'token': (string);
  'info': (_kite_v1_TokenInfo__Output | null);
  'ca_hash': (string);
}
