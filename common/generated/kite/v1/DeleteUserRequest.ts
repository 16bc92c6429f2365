// Original file: proto/kite/v1/api.proto


export interface DeleteUserRequest {
  'name'?: (string);
}

export interface DeleteUserRequest__Output {
  'name': (string);
}
