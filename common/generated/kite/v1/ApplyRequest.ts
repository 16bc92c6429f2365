// Original file: proto/kite/v1/api.proto


export interface ApplyRequest {
  'objects_json'?: (string)[];
  'dry_run'?: (boolean);
}

export interface ApplyRequest__Output {
  'objects_json': (string)[];
  'dry_run': (boolean);
}
