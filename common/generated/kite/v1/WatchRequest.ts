// Original file: proto/kite/v1/api.proto


export interface WatchRequest {
  'kind'?: (string);
  'namespace'?: (string);
  'all_namespaces'?: (boolean);
  'label_selector'?: (string);
  'field_selector'?: (string);
  'resource_version'?: (string);
}

export interface WatchRequest__Output {
  'kind': (string);
  'namespace': (string);
  'all_namespaces': (boolean);
  'label_selector': (string);
  'field_selector': (string);
  'resource_version': (string);
}
