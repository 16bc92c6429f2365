// Original file: proto/kite/v1/agent.proto

import type { PodAssignment as _kite_v1_PodAssignment, PodAssignment__Output as _kite_v1_PodAssignment__Output } from '../../kite/v1/PodAssignment';
import type { Long } from '@grpc/proto-loader';

export interface Assignments {
  'sequence'?: (number | string | Long);
  'full'?: (boolean);
  'upserts'?: (_kite_v1_PodAssignment)[];
  'removals'?: (string)[];
}

export interface Assignments__Output {
  'sequence': (string);
  'full': (boolean);
  'upserts': (_kite_v1_PodAssignment__Output)[];
  'removals': (string)[];
}
