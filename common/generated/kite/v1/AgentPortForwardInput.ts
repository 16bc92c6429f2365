// Original file: proto/kite/v1/agent.proto

import type { AgentPortForwardStart as _kite_v1_AgentPortForwardStart, AgentPortForwardStart__Output as _kite_v1_AgentPortForwardStart__Output } from '../../kite/v1/AgentPortForwardStart';

export interface AgentPortForwardInput {
  'start'?: (_kite_v1_AgentPortForwardStart | null);
  'data'?: (Buffer | Uint8Array | string);
  'close_write'?: (boolean);
  'input'?: "start"|"data"|"close_write";
}

export interface AgentPortForwardInput__Output {
  'start'?: (_kite_v1_AgentPortForwardStart__Output | null);
  'data'?: (Buffer);
  'close_write'?: (boolean);
  'input'?: "start"|"data"|"close_write";
}
