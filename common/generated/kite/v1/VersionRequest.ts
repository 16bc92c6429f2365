// Original file: proto/kite/v1/api.proto


export interface VersionRequest {
}

export interface VersionRequest__Output {
}
