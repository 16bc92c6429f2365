// Original file: proto/kite/v1/api.proto


export interface UpdateRequest {
  'object_json'?: (string);
}

export interface UpdateRequest__Output {
  'object_json': (string);
}
