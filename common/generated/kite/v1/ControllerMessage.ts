// Original file: proto/kite/v1/agent.proto

import type { Welcome as _kite_v1_Welcome, Welcome__Output as _kite_v1_Welcome__Output } from '../../kite/v1/Welcome';
import type { Assignments as _kite_v1_Assignments, Assignments__Output as _kite_v1_Assignments__Output } from '../../kite/v1/Assignments';
import type { NetworkPeers as _kite_v1_NetworkPeers, NetworkPeers__Output as _kite_v1_NetworkPeers__Output } from '../../kite/v1/NetworkPeers';
import type { ServiceUpdate as _kite_v1_ServiceUpdate, ServiceUpdate__Output as _kite_v1_ServiceUpdate__Output } from '../../kite/v1/ServiceUpdate';
import type { LocalVolumeCleanup as _kite_v1_LocalVolumeCleanup, LocalVolumeCleanup__Output as _kite_v1_LocalVolumeCleanup__Output } from '../../kite/v1/LocalVolumeCleanup';

export interface ControllerMessage {
  'welcome'?: (_kite_v1_Welcome | null);
  'assignments'?: (_kite_v1_Assignments | null);
  'peers'?: (_kite_v1_NetworkPeers | null);
  'services'?: (_kite_v1_ServiceUpdate | null);
  'volume_cleanup'?: (_kite_v1_LocalVolumeCleanup | null);
  'msg'?: "welcome"|"assignments"|"peers"|"services"|"volume_cleanup";
}

export interface ControllerMessage__Output {
  'welcome'?: (_kite_v1_Welcome__Output | null);
  'assignments'?: (_kite_v1_Assignments__Output | null);
  'peers'?: (_kite_v1_NetworkPeers__Output | null);
  'services'?: (_kite_v1_ServiceUpdate__Output | null);
  'volume_cleanup'?: (_kite_v1_LocalVolumeCleanup__Output | null);
  'msg'?: "welcome"|"assignments"|"peers"|"services"|"volume_cleanup";
}
