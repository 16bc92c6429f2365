// Original file: proto/kite/v1/api.proto

import type { UserInfo as _kite_v1_UserInfo, UserInfo__Output as _kite_v1_UserInfo__Output } from '../../kite/v1/UserInfo';

export interface ListUsersResponse {
  'users'?: (_kite_v1_UserInfo)[];
}

export interface ListUsersResponse__Output {
  'users': (_kite_v1_UserInfo__Output)[];
}
