// Original file: proto/kite/v1/api.proto


export interface ObjectResponse {
  'object_json'?: (string);
  'warnings'?: (string)[];
}

export interface ObjectResponse__Output {
  'object_json': (string);
  'warnings': (string)[];
}
