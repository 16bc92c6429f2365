// Original file: proto/kite/v1/agent.proto

import type { AgentExecStart as _kite_v1_AgentExecStart, AgentExecStart__Output as _kite_v1_AgentExecStart__Output } from '../../kite/v1/AgentExecStart';
import type { TerminalSize as _kite_v1_TerminalSize, TerminalSize__Output as _kite_v1_TerminalSize__Output } from '../../kite/v1/TerminalSize';

export interface AgentExecInput {
  'start'?: (_kite_v1_AgentExecStart | null);
  'stdin'?: (Buffer | Uint8Array | string);
  'resize'?: (_kite_v1_TerminalSize | null);
  'close_stdin'?: (boolean);
  'input'?: "start"|"stdin"|"resize"|"close_stdin";
}

export interface AgentExecInput__Output {
  'start'?: (_kite_v1_AgentExecStart__Output | null);
  'stdin'?: (Buffer);
  'resize'?: (_kite_v1_TerminalSize__Output | null);
  'close_stdin'?: (boolean);
  'input'?: "start"|"stdin"|"resize"|"close_stdin";
}
