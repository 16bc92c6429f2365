import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApplyRequest as _kite_v1_ApplyRequest, ApplyRequest__Output as _kite_v1_ApplyRequest__Output } from './kite/v1/ApplyRequest';
import type { ApplyResponse as _kite_v1_ApplyResponse, ApplyResponse__Output as _kite_v1_ApplyResponse__Output } from './kite/v1/ApplyResponse';
import type { ApplyResult as _kite_v1_ApplyResult, ApplyResult__Output as _kite_v1_ApplyResult__Output } from './kite/v1/ApplyResult';
import type { ComponentStatus as _kite_v1_ComponentStatus, ComponentStatus__Output as _kite_v1_ComponentStatus__Output } from './kite/v1/ComponentStatus';
import type { CreateKubeconfigRequest as _kite_v1_CreateKubeconfigRequest, CreateKubeconfigRequest__Output as _kite_v1_CreateKubeconfigRequest__Output } from './kite/v1/CreateKubeconfigRequest';
import type { CreateKubeconfigResponse as _kite_v1_CreateKubeconfigResponse, CreateKubeconfigResponse__Output as _kite_v1_CreateKubeconfigResponse__Output } from './kite/v1/CreateKubeconfigResponse';
import type { CreateTokenRequest as _kite_v1_CreateTokenRequest, CreateTokenRequest__Output as _kite_v1_CreateTokenRequest__Output } from './kite/v1/CreateTokenRequest';
import type { CreateTokenResponse as _kite_v1_CreateTokenResponse, CreateTokenResponse__Output as _kite_v1_CreateTokenResponse__Output } from './kite/v1/CreateTokenResponse';
import type { CreateUserRequest as _kite_v1_CreateUserRequest, CreateUserRequest__Output as _kite_v1_CreateUserRequest__Output } from './kite/v1/CreateUserRequest';
import type { CreateUserResponse as _kite_v1_CreateUserResponse, CreateUserResponse__Output as _kite_v1_CreateUserResponse__Output } from './kite/v1/CreateUserResponse';
import type { DeleteRequest as _kite_v1_DeleteRequest, DeleteRequest__Output as _kite_v1_DeleteRequest__Output } from './kite/v1/DeleteRequest';
import type { DeleteTokenRequest as _kite_v1_DeleteTokenRequest, DeleteTokenRequest__Output as _kite_v1_DeleteTokenRequest__Output } from './kite/v1/DeleteTokenRequest';
import type { DeleteTokenResponse as _kite_v1_DeleteTokenResponse, DeleteTokenResponse__Output as _kite_v1_DeleteTokenResponse__Output } from './kite/v1/DeleteTokenResponse';
import type { DeleteUserRequest as _kite_v1_DeleteUserRequest, DeleteUserRequest__Output as _kite_v1_DeleteUserRequest__Output } from './kite/v1/DeleteUserRequest';
import type { DeleteUserResponse as _kite_v1_DeleteUserResponse, DeleteUserResponse__Output as _kite_v1_DeleteUserResponse__Output } from './kite/v1/DeleteUserResponse';
import type { ExecInput as _kite_v1_ExecInput, ExecInput__Output as _kite_v1_ExecInput__Output } from './kite/v1/ExecInput';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from './kite/v1/ExecOutput';
import type { ExecStart as _kite_v1_ExecStart, ExecStart__Output as _kite_v1_ExecStart__Output } from './kite/v1/ExecStart';
import type { KiteClient as _kite_v1_KiteClient, KiteDefinition as _kite_v1_KiteDefinition } from './kite/v1/Kite';
import type { ListRequest as _kite_v1_ListRequest, ListRequest__Output as _kite_v1_ListRequest__Output } from './kite/v1/ListRequest';
import type { ListResponse as _kite_v1_ListResponse, ListResponse__Output as _kite_v1_ListResponse__Output } from './kite/v1/ListResponse';
import type { ListTokensRequest as _kite_v1_ListTokensRequest, ListTokensRequest__Output as _kite_v1_ListTokensRequest__Output } from './kite/v1/ListTokensRequest';
import type { ListTokensResponse as _kite_v1_ListTokensResponse, ListTokensResponse__Output as _kite_v1_ListTokensResponse__Output } from './kite/v1/ListTokensResponse';
import type { ListUsersRequest as _kite_v1_ListUsersRequest, ListUsersRequest__Output as _kite_v1_ListUsersRequest__Output } from './kite/v1/ListUsersRequest';
import type { ListUsersResponse as _kite_v1_ListUsersResponse, ListUsersResponse__Output as _kite_v1_ListUsersResponse__Output } from './kite/v1/ListUsersResponse';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from './kite/v1/LogChunk';
import type { LogsRequest as _kite_v1_LogsRequest, LogsRequest__Output as _kite_v1_LogsRequest__Output } from './kite/v1/LogsRequest';
import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from './kite/v1/ObjectRef';
import type { ObjectResponse as _kite_v1_ObjectResponse, ObjectResponse__Output as _kite_v1_ObjectResponse__Output } from './kite/v1/ObjectResponse';
import type { PortForwardInput as _kite_v1_PortForwardInput, PortForwardInput__Output as _kite_v1_PortForwardInput__Output } from './kite/v1/PortForwardInput';
import type { PortForwardOutput as _kite_v1_PortForwardOutput, PortForwardOutput__Output as _kite_v1_PortForwardOutput__Output } from './kite/v1/PortForwardOutput';
import type { PortForwardStart as _kite_v1_PortForwardStart, PortForwardStart__Output as _kite_v1_PortForwardStart__Output } from './kite/v1/PortForwardStart';
import type { PushImageInput as _kite_v1_PushImageInput, PushImageInput__Output as _kite_v1_PushImageInput__Output } from './kite/v1/PushImageInput';
import type { PushImageNodeResult as _kite_v1_PushImageNodeResult, PushImageNodeResult__Output as _kite_v1_PushImageNodeResult__Output } from './kite/v1/PushImageNodeResult';
import type { PushImageOutput as _kite_v1_PushImageOutput, PushImageOutput__Output as _kite_v1_PushImageOutput__Output } from './kite/v1/PushImageOutput';
import type { PushImagePlan as _kite_v1_PushImagePlan, PushImagePlan__Output as _kite_v1_PushImagePlan__Output } from './kite/v1/PushImagePlan';
import type { PushImageStart as _kite_v1_PushImageStart, PushImageStart__Output as _kite_v1_PushImageStart__Output } from './kite/v1/PushImageStart';
import type { TerminalSize as _kite_v1_TerminalSize, TerminalSize__Output as _kite_v1_TerminalSize__Output } from './kite/v1/TerminalSize';
import type { TokenInfo as _kite_v1_TokenInfo, TokenInfo__Output as _kite_v1_TokenInfo__Output } from './kite/v1/TokenInfo';
import type { UpdateRequest as _kite_v1_UpdateRequest, UpdateRequest__Output as _kite_v1_UpdateRequest__Output } from './kite/v1/UpdateRequest';
import type { UserInfo as _kite_v1_UserInfo, UserInfo__Output as _kite_v1_UserInfo__Output } from './kite/v1/UserInfo';
import type { VersionRequest as _kite_v1_VersionRequest, VersionRequest__Output as _kite_v1_VersionRequest__Output } from './kite/v1/VersionRequest';
import type { VersionResponse as _kite_v1_VersionResponse, VersionResponse__Output as _kite_v1_VersionResponse__Output } from './kite/v1/VersionResponse';
import type { WatchEvent as _kite_v1_WatchEvent, WatchEvent__Output as _kite_v1_WatchEvent__Output } from './kite/v1/WatchEvent';
import type { WatchRequest as _kite_v1_WatchRequest, WatchRequest__Output as _kite_v1_WatchRequest__Output } from './kite/v1/WatchRequest';
import type { WhoAmIRequest as _kite_v1_WhoAmIRequest, WhoAmIRequest__Output as _kite_v1_WhoAmIRequest__Output } from './kite/v1/WhoAmIRequest';
import type { WhoAmIResponse as _kite_v1_WhoAmIResponse, WhoAmIResponse__Output as _kite_v1_WhoAmIResponse__Output } from './kite/v1/WhoAmIResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kite: {
    v1: {
      ApplyRequest: MessageTypeDefinition<_kite_v1_ApplyRequest, _kite_v1_ApplyRequest__Output>
      ApplyResponse: MessageTypeDefinition<_kite_v1_ApplyResponse, _kite_v1_ApplyResponse__Output>
      ApplyResult: MessageTypeDefinition<_kite_v1_ApplyResult, _kite_v1_ApplyResult__Output>
      ComponentStatus: MessageTypeDefinition<_kite_v1_ComponentStatus, _kite_v1_ComponentStatus__Output>
      CreateKubeconfigRequest: MessageTypeDefinition<_kite_v1_CreateKubeconfigRequest, _kite_v1_CreateKubeconfigRequest__Output>
      CreateKubeconfigResponse: MessageTypeDefinition<_kite_v1_CreateKubeconfigResponse, _kite_v1_CreateKubeconfigResponse__Output>
      CreateTokenRequest: MessageTypeDefinition<_kite_v1_CreateTokenRequest, _kite_v1_CreateTokenRequest__Output>
      CreateTokenResponse: MessageTypeDefinition<_kite_v1_CreateTokenResponse, _kite_v1_CreateTokenResponse__Output>
      CreateUserRequest: MessageTypeDefinition<_kite_v1_CreateUserRequest, _kite_v1_CreateUserRequest__Output>
      CreateUserResponse: MessageTypeDefinition<_kite_v1_CreateUserResponse, _kite_v1_CreateUserResponse__Output>
      DeleteRequest: MessageTypeDefinition<_kite_v1_DeleteRequest, _kite_v1_DeleteRequest__Output>
      DeleteTokenRequest: MessageTypeDefinition<_kite_v1_DeleteTokenRequest, _kite_v1_DeleteTokenRequest__Output>
      DeleteTokenResponse: MessageTypeDefinition<_kite_v1_DeleteTokenResponse, _kite_v1_DeleteTokenResponse__Output>
      DeleteUserRequest: MessageTypeDefinition<_kite_v1_DeleteUserRequest, _kite_v1_DeleteUserRequest__Output>
      DeleteUserResponse: MessageTypeDefinition<_kite_v1_DeleteUserResponse, _kite_v1_DeleteUserResponse__Output>
      ExecInput: MessageTypeDefinition<_kite_v1_ExecInput, _kite_v1_ExecInput__Output>
      ExecOutput: MessageTypeDefinition<_kite_v1_ExecOutput, _kite_v1_ExecOutput__Output>
      ExecStart: MessageTypeDefinition<_kite_v1_ExecStart, _kite_v1_ExecStart__Output>
      Kite: SubtypeConstructor<typeof grpc.Client, _kite_v1_KiteClient> & { service: _kite_v1_KiteDefinition }
      ListRequest: MessageTypeDefinition<_kite_v1_ListRequest, _kite_v1_ListRequest__Output>
      ListResponse: MessageTypeDefinition<_kite_v1_ListResponse, _kite_v1_ListResponse__Output>
      ListTokensRequest: MessageTypeDefinition<_kite_v1_ListTokensRequest, _kite_v1_ListTokensRequest__Output>
      ListTokensResponse: MessageTypeDefinition<_kite_v1_ListTokensResponse, _kite_v1_ListTokensResponse__Output>
      ListUsersRequest: MessageTypeDefinition<_kite_v1_ListUsersRequest, _kite_v1_ListUsersRequest__Output>
      ListUsersResponse: MessageTypeDefinition<_kite_v1_ListUsersResponse, _kite_v1_ListUsersResponse__Output>
      LogChunk: MessageTypeDefinition<_kite_v1_LogChunk, _kite_v1_LogChunk__Output>
      LogsRequest: MessageTypeDefinition<_kite_v1_LogsRequest, _kite_v1_LogsRequest__Output>
      ObjectRef: MessageTypeDefinition<_kite_v1_ObjectRef, _kite_v1_ObjectRef__Output>
      ObjectResponse: MessageTypeDefinition<_kite_v1_ObjectResponse, _kite_v1_ObjectResponse__Output>
      PortForwardInput: MessageTypeDefinition<_kite_v1_PortForwardInput, _kite_v1_PortForwardInput__Output>
      PortForwardOutput: MessageTypeDefinition<_kite_v1_PortForwardOutput, _kite_v1_PortForwardOutput__Output>
      PortForwardStart: MessageTypeDefinition<_kite_v1_PortForwardStart, _kite_v1_PortForwardStart__Output>
      PushImageInput: MessageTypeDefinition<_kite_v1_PushImageInput, _kite_v1_PushImageInput__Output>
      PushImageNodeResult: MessageTypeDefinition<_kite_v1_PushImageNodeResult, _kite_v1_PushImageNodeResult__Output>
      PushImageOutput: MessageTypeDefinition<_kite_v1_PushImageOutput, _kite_v1_PushImageOutput__Output>
      PushImagePlan: MessageTypeDefinition<_kite_v1_PushImagePlan, _kite_v1_PushImagePlan__Output>
      PushImageStart: MessageTypeDefinition<_kite_v1_PushImageStart, _kite_v1_PushImageStart__Output>
      TerminalSize: MessageTypeDefinition<_kite_v1_TerminalSize, _kite_v1_TerminalSize__Output>
      TokenInfo: MessageTypeDefinition<_kite_v1_TokenInfo, _kite_v1_TokenInfo__Output>
      UpdateRequest: MessageTypeDefinition<_kite_v1_UpdateRequest, _kite_v1_UpdateRequest__Output>
      UserInfo: MessageTypeDefinition<_kite_v1_UserInfo, _kite_v1_UserInfo__Output>
      VersionRequest: MessageTypeDefinition<_kite_v1_VersionRequest, _kite_v1_VersionRequest__Output>
      VersionResponse: MessageTypeDefinition<_kite_v1_VersionResponse, _kite_v1_VersionResponse__Output>
      WatchEvent: MessageTypeDefinition<_kite_v1_WatchEvent, _kite_v1_WatchEvent__Output>
      WatchRequest: MessageTypeDefinition<_kite_v1_WatchRequest, _kite_v1_WatchRequest__Output>
      WhoAmIRequest: MessageTypeDefinition<_kite_v1_WhoAmIRequest, _kite_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_kite_v1_WhoAmIResponse, _kite_v1_WhoAmIResponse__Output>
    }
  }
}

