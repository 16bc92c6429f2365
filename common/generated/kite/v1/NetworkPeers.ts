// Original file: proto/kite/v1/agent.proto

import type { NetworkPeer as _kite_v1_NetworkPeer, NetworkPeer__Output as _kite_v1_NetworkPeer__Output } from '../../kite/v1/NetworkPeer';

export interface NetworkPeers {
  'peers'?: (_kite_v1_NetworkPeer)[];
}

export interface NetworkPeers__Output {
  'peers': (_kite_v1_NetworkPeer__Output)[];
}
