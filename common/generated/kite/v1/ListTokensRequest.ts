// Original file: proto/kite/v1/api.proto


export interface ListTokensRequest {
}

export interface ListTokensRequest__Output {
}
