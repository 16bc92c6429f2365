// Original file: proto/kite/v1/agent.proto


export interface LocalVolume {
  'name'?: (string);
  'path'?: (string);
}

export interface LocalVolume__Output {
  'name': (string);
  'path': (string);
}
