// Original file: proto/kite/v1/agent.proto


export interface ImageStatusResponse {
  'present'?: (boolean);
}

export interface ImageStatusResponse__Output {
  'present': (boolean);
}
