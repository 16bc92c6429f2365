// Original file: proto/kite/v1/api.proto


export interface ComponentStatus {
  'name'?: (string);
  'healthy'?: (boolean);
  'message'?: (string);
}

export interface ComponentStatus__Output {
  'name': (string);
  'healthy': (boolean);
  'message': (string);
}
