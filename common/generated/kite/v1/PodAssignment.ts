// Original file: proto/kite/v1/agent.proto

import type { ClaimVolume as _kite_v1_ClaimVolume, ClaimVolume__Output as _kite_v1_ClaimVolume__Output } from '../../kite/v1/ClaimVolume';

export interface PodAssignment {
  'pod_json'?: (string);
  'config_maps_json'?: (string)[];
  'secrets_json'?: (string)[];
  'claim_volumes'?: (_kite_v1_ClaimVolume)[];
}

export interface PodAssignment__Output {
  'pod_json': (string);
  'config_maps_json': (string)[];
  'secrets_json': (string)[];
  'claim_volumes': (_kite_v1_ClaimVolume__Output)[];
}
