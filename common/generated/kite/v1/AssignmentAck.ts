// Original file: proto/kite/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface AssignmentAck {
  'sequence'?: (number | string | Long);
}

export interface AssignmentAck__Output {
  'sequence': (string);
}
