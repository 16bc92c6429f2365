// Original file: proto/kite/v1/api.proto


export interface WhoAmIResponse {
  'kind'?: (string);
  'name'?: (string);
  'role'?: (string);
  'namespace'?: (string);
}

export interface WhoAmIResponse__Output {
  'kind': (string);
  'name': (string);
  'role': (string);
  'namespace': (string);
}
