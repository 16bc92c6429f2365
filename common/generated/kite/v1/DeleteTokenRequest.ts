// Original file: proto/kite/v1/api.proto


export interface DeleteTokenRequest {
  'id'?: (string);
}

export interface DeleteTokenRequest__Output {
  'id': (string);
}
