// Original file: proto/kite/v1/agent.proto


export interface ImageStatusRequest {
  'image_id'?: (string);
  'image'?: (string);
}

export interface ImageStatusRequest__Output {
  'image_id': (string);
  'image': (string);
}
