// Original file: proto/kite/v1/api.proto


export interface CreateKubeconfigResponse {
  'server'?: (string);
  'ca'?: (string);
  'token'?: (string);
  'user'?: (string);
}

export interface CreateKubeconfigResponse__Output {
  'server': (string);
  'ca': (string);
  'token': (string);
  'user': (string);
}
