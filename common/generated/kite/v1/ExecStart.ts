// Original file: proto/kite/v1/api.proto


export interface ExecStart {
  'namespace'?: (string);
  'pod'?: (string);
  'container'?: (string);
  'command'?: (string)[];
  'tty'?: (boolean);
  'stdin'?: (boolean);
  'cols'?: (number);
  'rows'?: (number);
}

export interface ExecStart__Output {
  'namespace': (string);
  'pod': (string);
  'container': (string);
  'command': (string)[];
  'tty': (boolean);
  'stdin': (boolean);
  'cols': (number);
  'rows': (number);
}
