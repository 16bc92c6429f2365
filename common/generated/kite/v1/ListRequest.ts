// Original file: proto/kite/v1/api.proto


export interface ListRequest {
  'kind'?: (string);
  'namespace'?: (string);
  'all_namespaces'?: (boolean);
  'label_selector'?: (string);
  'field_selector'?: (string);
}

export interface ListRequest__Output {
  'kind': (string);
  'namespace': (string);
  'all_namespaces': (boolean);
  'label_selector': (string);
  'field_selector': (string);
}
