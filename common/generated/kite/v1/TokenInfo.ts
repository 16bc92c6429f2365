// Original file: proto/kite/v1/api.proto


export interface TokenInfo {
  'id'?: (string);
  'description'?: (string);
  'expires'?: (string);
  'created'?: (string);
}

export interface TokenInfo__Output {
  'id': (string);
  'description': (string);
  'expires': (string);
  'created': (string);
}
