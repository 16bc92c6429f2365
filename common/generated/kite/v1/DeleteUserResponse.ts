// Original file: proto/kite/v1/api.proto


export interface DeleteUserResponse {
}

export interface DeleteUserResponse__Output {
}
