// Original file: proto/kite/v1/agent.proto

import type { PodEvent as _kite_v1_PodEvent, PodEvent__Output as _kite_v1_PodEvent__Output } from '../../kite/v1/PodEvent';

export interface PodEventBatch {
  'events'?: (_kite_v1_PodEvent)[];
}

export interface PodEventBatch__Output {
  'events': (_kite_v1_PodEvent__Output)[];
}
