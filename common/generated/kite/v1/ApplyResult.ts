// Original file: proto/kite/v1/api.proto


export interface ApplyResult {
  'kind'?: (string);
  'namespace'?: (string);
  'name'?: (string);
  'action'?: (string);
  'resource_version'?: (string);
}

export interface ApplyResult__Output {
  'kind': (string);
  'namespace': (string);
  'name': (string);
  'action': (string);
  'resource_version': (string);
}
