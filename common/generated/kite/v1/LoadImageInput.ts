// Original file: proto/kite/v1/agent.proto

import type { LoadImageHeader as _kite_v1_LoadImageHeader, LoadImageHeader__Output as _kite_v1_LoadImageHeader__Output } from '../../kite/v1/LoadImageHeader';

export interface LoadImageInput {
  'header'?: (_kite_v1_LoadImageHeader | null);
  'data'?: (Buffer | Uint8Array | string);
  'input'?: "header"|"data";
}

export interface LoadImageInput__Output {
  'header'?: (_kite_v1_LoadImageHeader__Output | null);
  'data'?: (Buffer);
  'input'?: "header"|"data";
}
