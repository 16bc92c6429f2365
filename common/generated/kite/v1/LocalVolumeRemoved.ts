// Original file: proto/kite/v1/agent.proto


export interface LocalVolumeRemoved {
  'name'?: (string);
  'path'?: (string);
  'error'?: (string);
}

export interface LocalVolumeRemoved__Output {
  'name': (string);
  'path': (string);
  'error': (string);
}
