// Original file: proto/kite/v1/api.proto

import type { ExecStart as _kite_v1_ExecStart, ExecStart__Output as _kite_v1_ExecStart__Output } from '../../kite/v1/ExecStart';
import type { TerminalSize as _kite_v1_TerminalSize, TerminalSize__Output as _kite_v1_TerminalSize__Output } from '../../kite/v1/TerminalSize';

export interface ExecInput {
  'start'?: (_kite_v1_ExecStart | null);
  'stdin'?: (Buffer | Uint8Array | string);
  'resize'?: (_kite_v1_TerminalSize | null);
  'close_stdin'?: (boolean);
  'input'?: "start"|"stdin"|"resize"|"close_stdin";
}

export interface ExecInput__Output {
  'start'?: (_kite_v1_ExecStart__Output | null);
  'stdin'?: (Buffer);
  'resize'?: (_kite_v1_TerminalSize__Output | null);
  'close_stdin'?: (boolean);
  'input'?: "start"|"stdin"|"resize"|"close_stdin";
}
