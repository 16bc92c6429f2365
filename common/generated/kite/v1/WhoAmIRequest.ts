// Original file: proto/kite/v1/api.proto


export interface WhoAmIRequest {
}

export interface WhoAmIRequest__Output {
}
