// Original file: proto/kite/v1/api.proto


export interface PushImageNodeResult {
  'node'?: (string);
  'error'?: (string);
}

export interface PushImageNodeResult__Output {
  'node': (string);
  'error': (string);
}
