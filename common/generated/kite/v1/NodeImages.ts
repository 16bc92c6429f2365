// Original file: proto/kite/v1/agent.proto

import type { NodeImage as _kite_v1_NodeImage, NodeImage__Output as _kite_v1_NodeImage__Output } from '../../kite/v1/NodeImage';

export interface NodeImages {
  'images'?: (_kite_v1_NodeImage)[];
}

export interface NodeImages__Output {
  'images': (_kite_v1_NodeImage__Output)[];
}
