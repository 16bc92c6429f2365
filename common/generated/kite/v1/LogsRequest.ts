// Original file: proto/kite/v1/api.proto


export interface LogsRequest {
  'namespace'?: (string);
  'pod'?: (string);
  'container'?: (string);
  'follow'?: (boolean);
  'tail_lines'?: (number);
  'timestamps'?: (boolean);
  'previous'?: (boolean);
}

export interface LogsRequest__Output {
  'namespace': (string);
  'pod': (string);
  'container': (string);
  'follow': (boolean);
  'tail_lines': (number);
  'timestamps': (boolean);
  'previous': (boolean);
}
