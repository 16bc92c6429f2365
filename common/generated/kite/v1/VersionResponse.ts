// Original file: proto/kite/v1/api.proto

import type { ComponentStatus as _kite_v1_ComponentStatus, ComponentStatus__Output as _kite_v1_ComponentStatus__Output } from '../../kite/v1/ComponentStatus';

export interface VersionResponse {
  'version'?: (string);
  'controller_id'?: (string);
  'leader_id'?: (string);
  'is_leader'?: (boolean);
  'components'?: (_kite_v1_ComponentStatus)[];
}

export interface VersionResponse__Output {
  'version': (string);
  'controller_id': (string);
  'leader_id': (string);
  'is_leader': (boolean);
  'components': (_kite_v1_ComponentStatus__Output)[];
}
