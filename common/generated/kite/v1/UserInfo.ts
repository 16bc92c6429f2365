// Original file: proto/kite/v1/api.proto


export interface UserInfo {
  'name'?: (string);
  'role'?: (string);
  'namespace'?: (string);
  'created'?: (string);
}

export interface UserInfo__Output {
  'name': (string);
  'role': (string);
  'namespace': (string);
  'created': (string);
}
