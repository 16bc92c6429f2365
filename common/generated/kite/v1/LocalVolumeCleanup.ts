// Original file: proto/kite/v1/agent.proto

import type { LocalVolume as _kite_v1_LocalVolume, LocalVolume__Output as _kite_v1_LocalVolume__Output } from '../../kite/v1/LocalVolume';

export interface LocalVolumeCleanup {
  'volumes'?: (_kite_v1_LocalVolume)[];
}

export interface LocalVolumeCleanup__Output {
  'volumes': (_kite_v1_LocalVolume__Output)[];
}
