// Original file: proto/kite/v1/api.proto


export interface ExecOutput {
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'exit_code'?: (number);
  'output'?: "stdout"|"stderr"|"exit_code";
}

export interface ExecOutput__Output {
  'stdout'?: (Buffer);
  'stderr'?: (Buffer);
  'exit_code'?: (number);
  'output'?: "stdout"|"stderr"|"exit_code";
}
