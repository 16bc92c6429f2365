// Original file: proto/kite/v1/api.proto


export interface LogChunk {
  'data'?: (Buffer | Uint8Array | string);
  'stream'?: (string);
}

export interface LogChunk__Output {
  'data': (Buffer);
  'stream': (string);
}
