// Original file: proto/kite/v1/api.proto


export interface TerminalSize {
  'cols'?: (number);
  'rows'?: (number);
}

export interface TerminalSize__Output {
  'cols': (number);
  'rows': (number);
}
