// Original file: proto/kite/v1/agent.proto

import type { PodStatusReport as _kite_v1_PodStatusReport, PodStatusReport__Output as _kite_v1_PodStatusReport__Output } from '../../kite/v1/PodStatusReport';

export interface PodStatusBatch {
  'pods'?: (_kite_v1_PodStatusReport)[];
}

export interface PodStatusBatch__Output {
  'pods': (_kite_v1_PodStatusReport__Output)[];
}
