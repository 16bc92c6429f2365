// Original file: proto/kite/v1/agent.proto

import type { NodeInfo as _kite_v1_NodeInfo, NodeInfo__Output as _kite_v1_NodeInfo__Output } from '../../kite/v1/NodeInfo';
import type { Heartbeat as _kite_v1_Heartbeat, Heartbeat__Output as _kite_v1_Heartbeat__Output } from '../../kite/v1/Heartbeat';
import type { PodStatusBatch as _kite_v1_PodStatusBatch, PodStatusBatch__Output as _kite_v1_PodStatusBatch__Output } from '../../kite/v1/PodStatusBatch';
import type { PodEventBatch as _kite_v1_PodEventBatch, PodEventBatch__Output as _kite_v1_PodEventBatch__Output } from '../../kite/v1/PodEventBatch';
import type { LocalVolumeRemoved as _kite_v1_LocalVolumeRemoved, LocalVolumeRemoved__Output as _kite_v1_LocalVolumeRemoved__Output } from '../../kite/v1/LocalVolumeRemoved';
import type { NodeImages as _kite_v1_NodeImages, NodeImages__Output as _kite_v1_NodeImages__Output } from '../../kite/v1/NodeImages';

export interface AgentMessage {
  'register'?: (_kite_v1_NodeInfo | null);
  'heartbeat'?: (_kite_v1_Heartbeat | null);
  'status'?: (_kite_v1_PodStatusBatch | null);
  'events'?: (_kite_v1_PodEventBatch | null);
  'volume_removed'?: (_kite_v1_LocalVolumeRemoved | null);
  'images'?: (_kite_v1_NodeImages | null);
  'msg'?: "register"|"heartbeat"|"status"|"events"|"volume_removed"|"images";
}

export interface AgentMessage__Output {
  'register'?: (_kite_v1_NodeInfo__Output | null);
  'heartbeat'?: (_kite_v1_Heartbeat__Output | null);
  'status'?: (_kite_v1_PodStatusBatch__Output | null);
  'events'?: (_kite_v1_PodEventBatch__Output | null);
  'volume_removed'?: (_kite_v1_LocalVolumeRemoved__Output | null);
  'images'?: (_kite_v1_NodeImages__Output | null);
  'msg'?: "register"|"heartbeat"|"status"|"events"|"volume_removed"|"images";
}
