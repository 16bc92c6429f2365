// Original file: proto/kite/v1/api.proto


export interface CreateUserRequest {
  'name'?: (string);
  'role'?: (string);
  'namespace'?: (string);
  'csr'?: (string);
}

export interface CreateUserRequest__Output {
  'name': (string);
  'role': (string);
  'namespace': (string);
  'csr': (string);
}
