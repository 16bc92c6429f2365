// Original file: proto/kite/v1/api.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyRequest as _kite_v1_ApplyRequest, ApplyRequest__Output as _kite_v1_ApplyRequest__Output } from '../../kite/v1/ApplyRequest';
import type { ApplyResponse as _kite_v1_ApplyResponse, ApplyResponse__Output as _kite_v1_ApplyResponse__Output } from '../../kite/v1/ApplyResponse';
import type { CreateKubeconfigRequest as _kite_v1_CreateKubeconfigRequest, CreateKubeconfigRequest__Output as _kite_v1_CreateKubeconfigRequest__Output } from '../../kite/v1/CreateKubeconfigRequest';
import type { CreateKubeconfigResponse as _kite_v1_CreateKubeconfigResponse, CreateKubeconfigResponse__Output as _kite_v1_CreateKubeconfigResponse__Output } from '../../kite/v1/CreateKubeconfigResponse';
import type { CreateTokenRequest as _kite_v1_CreateTokenRequest, CreateTokenRequest__Output as _kite_v1_CreateTokenRequest__Output } from '../../kite/v1/CreateTokenRequest';
import type { CreateTokenResponse as _kite_v1_CreateTokenResponse, CreateTokenResponse__Output as _kite_v1_CreateTokenResponse__Output } from '../../kite/v1/CreateTokenResponse';
import type { CreateUserRequest as _kite_v1_CreateUserRequest, CreateUserRequest__Output as _kite_v1_CreateUserRequest__Output } from '../../kite/v1/CreateUserRequest';
import type { CreateUserResponse as _kite_v1_CreateUserResponse, CreateUserResponse__Output as _kite_v1_CreateUserResponse__Output } from '../../kite/v1/CreateUserResponse';
import type { DeleteRequest as _kite_v1_DeleteRequest, DeleteRequest__Output as _kite_v1_DeleteRequest__Output } from '../../kite/v1/DeleteRequest';
import type { DeleteTokenRequest as _kite_v1_DeleteTokenRequest, DeleteTokenRequest__Output as _kite_v1_DeleteTokenRequest__Output } from '../../kite/v1/DeleteTokenRequest';
import type { DeleteTokenResponse as _kite_v1_DeleteTokenResponse, DeleteTokenResponse__Output as _kite_v1_DeleteTokenResponse__Output } from '../../kite/v1/DeleteTokenResponse';
import type { DeleteUserRequest as _kite_v1_DeleteUserRequest, DeleteUserRequest__Output as _kite_v1_DeleteUserRequest__Output } from '../../kite/v1/DeleteUserRequest';
import type { DeleteUserResponse as _kite_v1_DeleteUserResponse, DeleteUserResponse__Output as _kite_v1_DeleteUserResponse__Output } from '../../kite/v1/DeleteUserResponse';
import type { ExecInput as _kite_v1_ExecInput, ExecInput__Output as _kite_v1_ExecInput__Output } from '../../kite/v1/ExecInput';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from '../../kite/v1/ExecOutput';
import type { ListRequest as _kite_v1_ListRequest, ListRequest__Output as _kite_v1_ListRequest__Output } from '../../kite/v1/ListRequest';
import type { ListResponse as _kite_v1_ListResponse, ListResponse__Output as _kite_v1_ListResponse__Output } from '../../kite/v1/ListResponse';
import type { ListTokensRequest as _kite_v1_ListTokensRequest, ListTokensRequest__Output as _kite_v1_ListTokensRequest__Output } from '../../kite/v1/ListTokensRequest';
import type { ListTokensResponse as _kite_v1_ListTokensResponse, ListTokensResponse__Output as _kite_v1_ListTokensResponse__Output } from '../../kite/v1/ListTokensResponse';
import type { ListUsersRequest as _kite_v1_ListUsersRequest, ListUsersRequest__Output as _kite_v1_ListUsersRequest__Output } from '../../kite/v1/ListUsersRequest';
import type { ListUsersResponse as _kite_v1_ListUsersResponse, ListUsersResponse__Output as _kite_v1_ListUsersResponse__Output } from '../../kite/v1/ListUsersResponse';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from '../../kite/v1/LogChunk';
import type { LogsRequest as _kite_v1_LogsRequest, LogsRequest__Output as _kite_v1_LogsRequest__Output } from '../../kite/v1/LogsRequest';
import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from '../../kite/v1/ObjectRef';
import type { ObjectResponse as _kite_v1_ObjectResponse, ObjectResponse__Output as _kite_v1_ObjectResponse__Output } from '../../kite/v1/ObjectResponse';
import type { PortForwardInput as _kite_v1_PortForwardInput, PortForwardInput__Output as _kite_v1_PortForwardInput__Output } from '../../kite/v1/PortForwardInput';
import type { PortForwardOutput as _kite_v1_PortForwardOutput, PortForwardOutput__Output as _kite_v1_PortForwardOutput__Output } from '../../kite/v1/PortForwardOutput';
import type { PushImageInput as _kite_v1_PushImageInput, PushImageInput__Output as _kite_v1_PushImageInput__Output } from '../../kite/v1/PushImageInput';
import type { PushImageOutput as _kite_v1_PushImageOutput, PushImageOutput__Output as _kite_v1_PushImageOutput__Output } from '../../kite/v1/PushImageOutput';
import type { UpdateRequest as _kite_v1_UpdateRequest, UpdateRequest__Output as _kite_v1_UpdateRequest__Output } from '../../kite/v1/UpdateRequest';
import type { VersionRequest as _kite_v1_VersionRequest, VersionRequest__Output as _kite_v1_VersionRequest__Output } from '../../kite/v1/VersionRequest';
import type { VersionResponse as _kite_v1_VersionResponse, VersionResponse__Output as _kite_v1_VersionResponse__Output } from '../../kite/v1/VersionResponse';
import type { WatchEvent as _kite_v1_WatchEvent, WatchEvent__Output as _kite_v1_WatchEvent__Output } from '../../kite/v1/WatchEvent';
import type { WatchRequest as _kite_v1_WatchRequest, WatchRequest__Output as _kite_v1_WatchRequest__Output } from '../../kite/v1/WatchRequest';
import type { WhoAmIRequest as _kite_v1_WhoAmIRequest, WhoAmIRequest__Output as _kite_v1_WhoAmIRequest__Output } from '../../kite/v1/WhoAmIRequest';
import type { WhoAmIResponse as _kite_v1_WhoAmIResponse, WhoAmIResponse__Output as _kite_v1_WhoAmIResponse__Output } from '../../kite/v1/WhoAmIResponse';

export interface KiteClient extends grpc.Client {
  Apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  
  CreateKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  CreateKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  CreateKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  CreateKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  createKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  createKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  createKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  createKubeconfig(argument: _kite_v1_CreateKubeconfigRequest, callback: grpc.requestCallback<_kite_v1_CreateKubeconfigResponse__Output>): grpc.ClientUnaryCall;
  
  CreateToken(argument: _kite_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _kite_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _kite_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _kite_v1_CreateTokenRequest, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _kite_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _kite_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _kite_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _kite_v1_CreateTokenRequest, callback: grpc.requestCallback<_kite_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  
  CreateUser(argument: _kite_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _kite_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _kite_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _kite_v1_CreateUserRequest, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  createUser(argument: _kite_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  createUser(argument: _kite_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  createUser(argument: _kite_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  createUser(argument: _kite_v1_CreateUserRequest, callback: grpc.requestCallback<_kite_v1_CreateUserResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteToken(argument: _kite_v1_DeleteTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  DeleteToken(argument: _kite_v1_DeleteTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  DeleteToken(argument: _kite_v1_DeleteTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  DeleteToken(argument: _kite_v1_DeleteTokenRequest, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  deleteToken(argument: _kite_v1_DeleteTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  deleteToken(argument: _kite_v1_DeleteTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  deleteToken(argument: _kite_v1_DeleteTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  deleteToken(argument: _kite_v1_DeleteTokenRequest, callback: grpc.requestCallback<_kite_v1_DeleteTokenResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteUser(argument: _kite_v1_DeleteUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _kite_v1_DeleteUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _kite_v1_DeleteUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _kite_v1_DeleteUserRequest, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _kite_v1_DeleteUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _kite_v1_DeleteUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _kite_v1_DeleteUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _kite_v1_DeleteUserRequest, callback: grpc.requestCallback<_kite_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  
  Exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_ExecInput, _kite_v1_ExecOutput__Output>;
  Exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_ExecInput, _kite_v1_ExecOutput__Output>;
  exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_ExecInput, _kite_v1_ExecOutput__Output>;
  exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_ExecInput, _kite_v1_ExecOutput__Output>;
  
  Get(argument: _kite_v1_ObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kite_v1_ObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kite_v1_ObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kite_v1_ObjectRef, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kite_v1_ObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kite_v1_ObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kite_v1_ObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kite_v1_ObjectRef, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _kite_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _kite_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _kite_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _kite_v1_ListRequest, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _kite_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _kite_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _kite_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _kite_v1_ListRequest, callback: grpc.requestCallback<_kite_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  
  ListTokens(argument: _kite_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _kite_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _kite_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _kite_v1_ListTokensRequest, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _kite_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _kite_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _kite_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _kite_v1_ListTokensRequest, callback: grpc.requestCallback<_kite_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  
  ListUsers(argument: _kite_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _kite_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _kite_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _kite_v1_ListUsersRequest, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _kite_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _kite_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _kite_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _kite_v1_ListUsersRequest, callback: grpc.requestCallback<_kite_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  
  Logs(argument: _kite_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  Logs(argument: _kite_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  
  PortForward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PortForwardInput, _kite_v1_PortForwardOutput__Output>;
  PortForward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PortForwardInput, _kite_v1_PortForwardOutput__Output>;
  portForward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PortForwardInput, _kite_v1_PortForwardOutput__Output>;
  portForward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PortForwardInput, _kite_v1_PortForwardOutput__Output>;
  
  PushImage(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PushImageInput, _kite_v1_PushImageOutput__Output>;
  PushImage(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PushImageInput, _kite_v1_PushImageOutput__Output>;
  pushImage(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PushImageInput, _kite_v1_PushImageOutput__Output>;
  pushImage(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_PushImageInput, _kite_v1_PushImageOutput__Output>;
  
  Update(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _kite_v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _kite_v1_UpdateRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _kite_v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _kite_v1_UpdateRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateStatus(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  UpdateStatus(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  UpdateStatus(argument: _kite_v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  UpdateStatus(argument: _kite_v1_UpdateRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  updateStatus(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  updateStatus(argument: _kite_v1_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  updateStatus(argument: _kite_v1_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  updateStatus(argument: _kite_v1_UpdateRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  
  Version(argument: _kite_v1_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _kite_v1_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _kite_v1_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _kite_v1_VersionRequest, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _kite_v1_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _kite_v1_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _kite_v1_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _kite_v1_VersionRequest, callback: grpc.requestCallback<_kite_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  
  Watch(argument: _kite_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_WatchEvent__Output>;
  Watch(argument: _kite_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_WatchEvent__Output>;
  watch(argument: _kite_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_WatchEvent__Output>;
  watch(argument: _kite_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_WatchEvent__Output>;
  
  WhoAmI(argument: _kite_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _kite_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _kite_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _kite_v1_WhoAmIRequest, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _kite_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _kite_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _kite_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _kite_v1_WhoAmIRequest, callback: grpc.requestCallback<_kite_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface KiteHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_kite_v1_ApplyRequest__Output, _kite_v1_ApplyResponse>;
  
  CreateKubeconfig: grpc.handleUnaryCall<_kite_v1_CreateKubeconfigRequest__Output, _kite_v1_CreateKubeconfigResponse>;
  
  CreateToken: grpc.handleUnaryCall<_kite_v1_CreateTokenRequest__Output, _kite_v1_CreateTokenResponse>;
  
  CreateUser: grpc.handleUnaryCall<_kite_v1_CreateUserRequest__Output, _kite_v1_CreateUserResponse>;
  
  Delete: grpc.handleUnaryCall<_kite_v1_DeleteRequest__Output, _kite_v1_ObjectResponse>;
  
  DeleteToken: grpc.handleUnaryCall<_kite_v1_DeleteTokenRequest__Output, _kite_v1_DeleteTokenResponse>;
  
  DeleteUser: grpc.handleUnaryCall<_kite_v1_DeleteUserRequest__Output, _kite_v1_DeleteUserResponse>;
  
  Exec: grpc.handleBidiStreamingCall<_kite_v1_ExecInput__Output, _kite_v1_ExecOutput>;
  
  Get: grpc.handleUnaryCall<_kite_v1_ObjectRef__Output, _kite_v1_ObjectResponse>;
  
  List: grpc.handleUnaryCall<_kite_v1_ListRequest__Output, _kite_v1_ListResponse>;
  
  ListTokens: grpc.handleUnaryCall<_kite_v1_ListTokensRequest__Output, _kite_v1_ListTokensResponse>;
  
  ListUsers: grpc.handleUnaryCall<_kite_v1_ListUsersRequest__Output, _kite_v1_ListUsersResponse>;
  
  Logs: grpc.handleServerStreamingCall<_kite_v1_LogsRequest__Output, _kite_v1_LogChunk>;
  
  PortForward: grpc.handleBidiStreamingCall<_kite_v1_PortForwardInput__Output, _kite_v1_PortForwardOutput>;
  
  PushImage: grpc.handleBidiStreamingCall<_kite_v1_PushImageInput__Output, _kite_v1_PushImageOutput>;
  
  Update: grpc.handleUnaryCall<_kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse>;
  
  UpdateStatus: grpc.handleUnaryCall<_kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse>;
  
  Version: grpc.handleUnaryCall<_kite_v1_VersionRequest__Output, _kite_v1_VersionResponse>;
  
  Watch: grpc.handleServerStreamingCall<_kite_v1_WatchRequest__Output, _kite_v1_WatchEvent>;
  
  WhoAmI: grpc.handleUnaryCall<_kite_v1_WhoAmIRequest__Output, _kite_v1_WhoAmIResponse>;
  
}

export interface KiteDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_kite_v1_ApplyRequest, _kite_v1_ApplyResponse, _kite_v1_ApplyRequest__Output, _kite_v1_ApplyResponse__Output>
  CreateKubeconfig: MethodDefinition<_kite_v1_CreateKubeconfigRequest, _kite_v1_CreateKubeconfigResponse, _kite_v1_CreateKubeconfigRequest__Output, _kite_v1_CreateKubeconfigResponse__Output>
  CreateToken: MethodDefinition<_kite_v1_CreateTokenRequest, _kite_v1_CreateTokenResponse, _kite_v1_CreateTokenRequest__Output, _kite_v1_CreateTokenResponse__Output>
  CreateUser: MethodDefinition<_kite_v1_CreateUserRequest, _kite_v1_CreateUserResponse, _kite_v1_CreateUserRequest__Output, _kite_v1_CreateUserResponse__Output>
  Delete: MethodDefinition<_kite_v1_DeleteRequest, _kite_v1_ObjectResponse, _kite_v1_DeleteRequest__Output, _kite_v1_ObjectResponse__Output>
  DeleteToken: MethodDefinition<_kite_v1_DeleteTokenRequest, _kite_v1_DeleteTokenResponse, _kite_v1_DeleteTokenRequest__Output, _kite_v1_DeleteTokenResponse__Output>
  DeleteUser: MethodDefinition<_kite_v1_DeleteUserRequest, _kite_v1_DeleteUserResponse, _kite_v1_DeleteUserRequest__Output, _kite_v1_DeleteUserResponse__Output>
  Exec: MethodDefinition<_kite_v1_ExecInput, _kite_v1_ExecOutput, _kite_v1_ExecInput__Output, _kite_v1_ExecOutput__Output>
  Get: MethodDefinition<_kite_v1_ObjectRef, _kite_v1_ObjectResponse, _kite_v1_ObjectRef__Output, _kite_v1_ObjectResponse__Output>
  List: MethodDefinition<_kite_v1_ListRequest, _kite_v1_ListResponse, _kite_v1_ListRequest__Output, _kite_v1_ListResponse__Output>
  ListTokens: MethodDefinition<_kite_v1_ListTokensRequest, _kite_v1_ListTokensResponse, _kite_v1_ListTokensRequest__Output, _kite_v1_ListTokensResponse__Output>
  ListUsers: MethodDefinition<_kite_v1_ListUsersRequest, _kite_v1_ListUsersResponse, _kite_v1_ListUsersRequest__Output, _kite_v1_ListUsersResponse__Output>
  Logs: MethodDefinition<_kite_v1_LogsRequest, _kite_v1_LogChunk, _kite_v1_LogsRequest__Output, _kite_v1_LogChunk__Output>
  PortForward: MethodDefinition<_kite_v1_PortForwardInput, _kite_v1_PortForwardOutput, _kite_v1_PortForwardInput__Output, _kite_v1_PortForwardOutput__Output>
  PushImage: MethodDefinition<_kite_v1_PushImageInput, _kite_v1_PushImageOutput, _kite_v1_PushImageInput__Output, _kite_v1_PushImageOutput__Output>
  Update: MethodDefinition<_kite_v1_UpdateRequest, _kite_v1_ObjectResponse, _kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse__Output>
  UpdateStatus: MethodDefinition<_kite_v1_UpdateRequest, _kite_v1_ObjectResponse, _kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse__Output>
  Version: MethodDefinition<_kite_v1_VersionRequest, _kite_v1_VersionResponse, _kite_v1_VersionRequest__Output, _kite_v1_VersionResponse__Output>
  Watch: MethodDefinition<_kite_v1_WatchRequest, _kite_v1_WatchEvent, _kite_v1_WatchRequest__Output, _kite_v1_WatchEvent__Output>
  WhoAmI: MethodDefinition<_kite_v1_WhoAmIRequest, _kite_v1_WhoAmIResponse, _kite_v1_WhoAmIRequest__Output, _kite_v1_WhoAmIResponse__Output>
}
