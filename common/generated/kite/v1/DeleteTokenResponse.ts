// Original file: proto/kite/v1/api.proto


export interface DeleteTokenResponse {
}

export interface DeleteTokenResponse__Output {
}
