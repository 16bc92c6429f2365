// Original file: proto/kite/v1/api.proto

import type { UserInfo as _kite_v1_UserInfo, UserInfo__Output as _kite_v1_UserInfo__Output } from '../../kite/v1/UserInfo';

export interface CreateUserResponse {
  'user'?: (_kite_v1_UserInfo | null);
  'certificate'?: (string);
  'ca'?: (string);
}

export interface CreateUserResponse__Output {
  'user': (_kite_v1_UserInfo__Output | null);
  'certificate': (string);
  'ca': (string);
}
