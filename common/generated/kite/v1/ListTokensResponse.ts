// Original file: proto/kite/v1/api.proto

import type { TokenInfo as _kite_v1_TokenInfo, TokenInfo__Output as _kite_v1_TokenInfo__Output } from '../../kite/v1/TokenInfo';

export interface ListTokensResponse {
  'tokens'?: (_kite_v1_TokenInfo)[];
}

export interface ListTokensResponse__Output {
  'tokens': (_kite_v1_TokenInfo__Output)[];
}
