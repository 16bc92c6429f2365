// Original file: proto/kite/v1/api.proto


export interface PushImagePlan {
  'targets'?: (string)[];
  'skipped'?: (string)[];
}

export interface PushImagePlan__Output {
  'targets': (string)[];
  'skipped': (string)[];
}
