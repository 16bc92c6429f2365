// Original file: proto/kite/v1/api.proto

import type { PortForwardStart as _kite_v1_PortForwardStart, PortForwardStart__Output as _kite_v1_PortForwardStart__Output } from '../../kite/v1/PortForwardStart';

export interface PortForwardInput {
  'start'?: (_kite_v1_PortForwardStart | null);
  'data'?: (Buffer | Uint8Array | string);
  'close_write'?: (boolean);
  'input'?: "start"|"data"|"close_write";
}

export interface PortForwardInput__Output {
  'start'?: (_kite_v1_PortForwardStart__Output | null);
  'data'?: (Buffer);
  'close_write'?: (boolean);
  'input'?: "start"|"data"|"close_write";
}
