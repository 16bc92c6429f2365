// Original file: proto/kite/v1/api.proto


export interface PortForwardOutput {
  'data'?: (Buffer | Uint8Array | string);
}

export interface PortForwardOutput__Output {
  'data': (Buffer);
}
