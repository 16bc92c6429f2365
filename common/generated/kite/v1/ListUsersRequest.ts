// Original file: proto/kite/v1/api.proto


export interface ListUsersRequest {
}

export interface ListUsersRequest__Output {
}
