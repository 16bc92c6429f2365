// Original file: proto/kite/v1/api.proto

import type { PushImageStart as _kite_v1_PushImageStart, PushImageStart__Output as _kite_v1_PushImageStart__Output } from '../../kite/v1/PushImageStart';

export interface PushImageInput {
  'start'?: (_kite_v1_PushImageStart | null);
  'data'?: (Buffer | Uint8Array | string);
  'input'?: "start"|"data";
}

export interface PushImageInput__Output {
  'start'?: (_kite_v1_PushImageStart__Output | null);
  'data'?: (Buffer);
  'input'?: "start"|"data";
}
