// Original file: proto/kite/v1/api.proto


export interface ListResponse {
  'items_json'?: (string)[];
  'resource_version'?: (string);
}

export interface ListResponse__Output {
  'items_json': (string)[];
  'resource_version': (string);
}
