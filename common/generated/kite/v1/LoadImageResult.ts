// Original file: proto/kite/v1/agent.proto


export interface LoadImageResult {
  'image_id'?: (string);
}

export interface LoadImageResult__Output {
  'image_id': (string);
}
