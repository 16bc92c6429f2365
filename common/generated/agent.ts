import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentExecInput as _kite_v1_AgentExecInput, AgentExecInput__Output as _kite_v1_AgentExecInput__Output } from './kite/v1/AgentExecInput';
import type { AgentExecStart as _kite_v1_AgentExecStart, AgentExecStart__Output as _kite_v1_AgentExecStart__Output } from './kite/v1/AgentExecStart';
import type { AgentLogsRequest as _kite_v1_AgentLogsRequest, AgentLogsRequest__Output as _kite_v1_AgentLogsRequest__Output } from './kite/v1/AgentLogsRequest';
import type { AgentMessage as _kite_v1_AgentMessage, AgentMessage__Output as _kite_v1_AgentMessage__Output } from './kite/v1/AgentMessage';
import type { AgentPortForwardInput as _kite_v1_AgentPortForwardInput, AgentPortForwardInput__Output as _kite_v1_AgentPortForwardInput__Output } from './kite/v1/AgentPortForwardInput';
import type { AgentPortForwardStart as _kite_v1_AgentPortForwardStart, AgentPortForwardStart__Output as _kite_v1_AgentPortForwardStart__Output } from './kite/v1/AgentPortForwardStart';
import type { AgentStreamsClient as _kite_v1_AgentStreamsClient, AgentStreamsDefinition as _kite_v1_AgentStreamsDefinition } from './kite/v1/AgentStreams';
import type { ApplyRequest as _kite_v1_ApplyRequest, ApplyRequest__Output as _kite_v1_ApplyRequest__Output } from './kite/v1/ApplyRequest';
import type { ApplyResponse as _kite_v1_ApplyResponse, ApplyResponse__Output as _kite_v1_ApplyResponse__Output } from './kite/v1/ApplyResponse';
import type { ApplyResult as _kite_v1_ApplyResult, ApplyResult__Output as _kite_v1_ApplyResult__Output } from './kite/v1/ApplyResult';
import type { Assignments as _kite_v1_Assignments, Assignments__Output as _kite_v1_Assignments__Output } from './kite/v1/Assignments';
import type { CertificateResponse as _kite_v1_CertificateResponse, CertificateResponse__Output as _kite_v1_CertificateResponse__Output } from './kite/v1/CertificateResponse';
import type { ClaimVolume as _kite_v1_ClaimVolume, ClaimVolume__Output as _kite_v1_ClaimVolume__Output } from './kite/v1/ClaimVolume';
import type { ComponentStatus as _kite_v1_ComponentStatus, ComponentStatus__Output as _kite_v1_ComponentStatus__Output } from './kite/v1/ComponentStatus';
import type { ContainerStatus as _kite_v1_ContainerStatus, ContainerStatus__Output as _kite_v1_ContainerStatus__Output } from './kite/v1/ContainerStatus';
import type { ContainerUsage as _kite_v1_ContainerUsage, ContainerUsage__Output as _kite_v1_ContainerUsage__Output } from './kite/v1/ContainerUsage';
import type { ControllerMessage as _kite_v1_ControllerMessage, ControllerMessage__Output as _kite_v1_ControllerMessage__Output } from './kite/v1/ControllerMessage';
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
import type { DispatcherClient as _kite_v1_DispatcherClient, DispatcherDefinition as _kite_v1_DispatcherDefinition } from './kite/v1/Dispatcher';
import type { ExecInput as _kite_v1_ExecInput, ExecInput__Output as _kite_v1_ExecInput__Output } from './kite/v1/ExecInput';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from './kite/v1/ExecOutput';
import type { ExecStart as _kite_v1_ExecStart, ExecStart__Output as _kite_v1_ExecStart__Output } from './kite/v1/ExecStart';
import type { Heartbeat as _kite_v1_Heartbeat, Heartbeat__Output as _kite_v1_Heartbeat__Output } from './kite/v1/Heartbeat';
import type { ImageStatusRequest as _kite_v1_ImageStatusRequest, ImageStatusRequest__Output as _kite_v1_ImageStatusRequest__Output } from './kite/v1/ImageStatusRequest';
import type { ImageStatusResponse as _kite_v1_ImageStatusResponse, ImageStatusResponse__Output as _kite_v1_ImageStatusResponse__Output } from './kite/v1/ImageStatusResponse';
import type { JoinRequest as _kite_v1_JoinRequest, JoinRequest__Output as _kite_v1_JoinRequest__Output } from './kite/v1/JoinRequest';
import type { KiteClient as _kite_v1_KiteClient, KiteDefinition as _kite_v1_KiteDefinition } from './kite/v1/Kite';
import type { ListRequest as _kite_v1_ListRequest, ListRequest__Output as _kite_v1_ListRequest__Output } from './kite/v1/ListRequest';
import type { ListResponse as _kite_v1_ListResponse, ListResponse__Output as _kite_v1_ListResponse__Output } from './kite/v1/ListResponse';
import type { ListTokensRequest as _kite_v1_ListTokensRequest, ListTokensRequest__Output as _kite_v1_ListTokensRequest__Output } from './kite/v1/ListTokensRequest';
import type { ListTokensResponse as _kite_v1_ListTokensResponse, ListTokensResponse__Output as _kite_v1_ListTokensResponse__Output } from './kite/v1/ListTokensResponse';
import type { ListUsersRequest as _kite_v1_ListUsersRequest, ListUsersRequest__Output as _kite_v1_ListUsersRequest__Output } from './kite/v1/ListUsersRequest';
import type { ListUsersResponse as _kite_v1_ListUsersResponse, ListUsersResponse__Output as _kite_v1_ListUsersResponse__Output } from './kite/v1/ListUsersResponse';
import type { LoadImageHeader as _kite_v1_LoadImageHeader, LoadImageHeader__Output as _kite_v1_LoadImageHeader__Output } from './kite/v1/LoadImageHeader';
import type { LoadImageInput as _kite_v1_LoadImageInput, LoadImageInput__Output as _kite_v1_LoadImageInput__Output } from './kite/v1/LoadImageInput';
import type { LoadImageResult as _kite_v1_LoadImageResult, LoadImageResult__Output as _kite_v1_LoadImageResult__Output } from './kite/v1/LoadImageResult';
import type { LocalVolume as _kite_v1_LocalVolume, LocalVolume__Output as _kite_v1_LocalVolume__Output } from './kite/v1/LocalVolume';
import type { LocalVolumeCleanup as _kite_v1_LocalVolumeCleanup, LocalVolumeCleanup__Output as _kite_v1_LocalVolumeCleanup__Output } from './kite/v1/LocalVolumeCleanup';
import type { LocalVolumeRemoved as _kite_v1_LocalVolumeRemoved, LocalVolumeRemoved__Output as _kite_v1_LocalVolumeRemoved__Output } from './kite/v1/LocalVolumeRemoved';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from './kite/v1/LogChunk';
import type { LogsRequest as _kite_v1_LogsRequest, LogsRequest__Output as _kite_v1_LogsRequest__Output } from './kite/v1/LogsRequest';
import type { NetworkPeer as _kite_v1_NetworkPeer, NetworkPeer__Output as _kite_v1_NetworkPeer__Output } from './kite/v1/NetworkPeer';
import type { NetworkPeers as _kite_v1_NetworkPeers, NetworkPeers__Output as _kite_v1_NetworkPeers__Output } from './kite/v1/NetworkPeers';
import type { NodeImage as _kite_v1_NodeImage, NodeImage__Output as _kite_v1_NodeImage__Output } from './kite/v1/NodeImage';
import type { NodeImages as _kite_v1_NodeImages, NodeImages__Output as _kite_v1_NodeImages__Output } from './kite/v1/NodeImages';
import type { NodeInfo as _kite_v1_NodeInfo, NodeInfo__Output as _kite_v1_NodeInfo__Output } from './kite/v1/NodeInfo';
import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from './kite/v1/ObjectRef';
import type { ObjectResponse as _kite_v1_ObjectResponse, ObjectResponse__Output as _kite_v1_ObjectResponse__Output } from './kite/v1/ObjectResponse';
import type { PodAssignment as _kite_v1_PodAssignment, PodAssignment__Output as _kite_v1_PodAssignment__Output } from './kite/v1/PodAssignment';
import type { PodEvent as _kite_v1_PodEvent, PodEvent__Output as _kite_v1_PodEvent__Output } from './kite/v1/PodEvent';
import type { PodEventBatch as _kite_v1_PodEventBatch, PodEventBatch__Output as _kite_v1_PodEventBatch__Output } from './kite/v1/PodEventBatch';
import type { PodNetwork as _kite_v1_PodNetwork, PodNetwork__Output as _kite_v1_PodNetwork__Output } from './kite/v1/PodNetwork';
import type { PodStatusBatch as _kite_v1_PodStatusBatch, PodStatusBatch__Output as _kite_v1_PodStatusBatch__Output } from './kite/v1/PodStatusBatch';
import type { PodStatusReport as _kite_v1_PodStatusReport, PodStatusReport__Output as _kite_v1_PodStatusReport__Output } from './kite/v1/PodStatusReport';
import type { PodUsage as _kite_v1_PodUsage, PodUsage__Output as _kite_v1_PodUsage__Output } from './kite/v1/PodUsage';
import type { PortForwardInput as _kite_v1_PortForwardInput, PortForwardInput__Output as _kite_v1_PortForwardInput__Output } from './kite/v1/PortForwardInput';
import type { PortForwardOutput as _kite_v1_PortForwardOutput, PortForwardOutput__Output as _kite_v1_PortForwardOutput__Output } from './kite/v1/PortForwardOutput';
import type { PortForwardStart as _kite_v1_PortForwardStart, PortForwardStart__Output as _kite_v1_PortForwardStart__Output } from './kite/v1/PortForwardStart';
import type { PushImageInput as _kite_v1_PushImageInput, PushImageInput__Output as _kite_v1_PushImageInput__Output } from './kite/v1/PushImageInput';
import type { PushImageNodeResult as _kite_v1_PushImageNodeResult, PushImageNodeResult__Output as _kite_v1_PushImageNodeResult__Output } from './kite/v1/PushImageNodeResult';
import type { PushImageOutput as _kite_v1_PushImageOutput, PushImageOutput__Output as _kite_v1_PushImageOutput__Output } from './kite/v1/PushImageOutput';
import type { PushImagePlan as _kite_v1_PushImagePlan, PushImagePlan__Output as _kite_v1_PushImagePlan__Output } from './kite/v1/PushImagePlan';
import type { PushImageStart as _kite_v1_PushImageStart, PushImageStart__Output as _kite_v1_PushImageStart__Output } from './kite/v1/PushImageStart';
import type { RenewCertificateRequest as _kite_v1_RenewCertificateRequest, RenewCertificateRequest__Output as _kite_v1_RenewCertificateRequest__Output } from './kite/v1/RenewCertificateRequest';
import type { ServiceUpdate as _kite_v1_ServiceUpdate, ServiceUpdate__Output as _kite_v1_ServiceUpdate__Output } from './kite/v1/ServiceUpdate';
import type { Taint as _kite_v1_Taint, Taint__Output as _kite_v1_Taint__Output } from './kite/v1/Taint';
import type { TerminalSize as _kite_v1_TerminalSize, TerminalSize__Output as _kite_v1_TerminalSize__Output } from './kite/v1/TerminalSize';
import type { TokenInfo as _kite_v1_TokenInfo, TokenInfo__Output as _kite_v1_TokenInfo__Output } from './kite/v1/TokenInfo';
import type { UpdateRequest as _kite_v1_UpdateRequest, UpdateRequest__Output as _kite_v1_UpdateRequest__Output } from './kite/v1/UpdateRequest';
import type { UserInfo as _kite_v1_UserInfo, UserInfo__Output as _kite_v1_UserInfo__Output } from './kite/v1/UserInfo';
import type { VersionRequest as _kite_v1_VersionRequest, VersionRequest__Output as _kite_v1_VersionRequest__Output } from './kite/v1/VersionRequest';
import type { VersionResponse as _kite_v1_VersionResponse, VersionResponse__Output as _kite_v1_VersionResponse__Output } from './kite/v1/VersionResponse';
import type { WatchEvent as _kite_v1_WatchEvent, WatchEvent__Output as _kite_v1_WatchEvent__Output } from './kite/v1/WatchEvent';
import type { WatchRequest as _kite_v1_WatchRequest, WatchRequest__Output as _kite_v1_WatchRequest__Output } from './kite/v1/WatchRequest';
import type { Welcome as _kite_v1_Welcome, Welcome__Output as _kite_v1_Welcome__Output } from './kite/v1/Welcome';
import type { WhoAmIRequest as _kite_v1_WhoAmIRequest, WhoAmIRequest__Output as _kite_v1_WhoAmIRequest__Output } from './kite/v1/WhoAmIRequest';
import type { WhoAmIResponse as _kite_v1_WhoAmIResponse, WhoAmIResponse__Output as _kite_v1_WhoAmIResponse__Output } from './kite/v1/WhoAmIResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kite: {
    v1: {
      AgentExecInput: MessageTypeDefinition<_kite_v1_AgentExecInput, _kite_v1_AgentExecInput__Output>
      AgentExecStart: MessageTypeDefinition<_kite_v1_AgentExecStart, _kite_v1_AgentExecStart__Output>
      AgentLogsRequest: MessageTypeDefinition<_kite_v1_AgentLogsRequest, _kite_v1_AgentLogsRequest__Output>
      AgentMessage: MessageTypeDefinition<_kite_v1_AgentMessage, _kite_v1_AgentMessage__Output>
      AgentPortForwardInput: MessageTypeDefinition<_kite_v1_AgentPortForwardInput, _kite_v1_AgentPortForwardInput__Output>
      AgentPortForwardStart: MessageTypeDefinition<_kite_v1_AgentPortForwardStart, _kite_v1_AgentPortForwardStart__Output>
      AgentStreams: SubtypeConstructor<typeof grpc.Client, _kite_v1_AgentStreamsClient> & { service: _kite_v1_AgentStreamsDefinition }
      ApplyRequest: MessageTypeDefinition<_kite_v1_ApplyRequest, _kite_v1_ApplyRequest__Output>
      ApplyResponse: MessageTypeDefinition<_kite_v1_ApplyResponse, _kite_v1_ApplyResponse__Output>
      ApplyResult: MessageTypeDefinition<_kite_v1_ApplyResult, _kite_v1_ApplyResult__Output>
      Assignments: MessageTypeDefinition<_kite_v1_Assignments, _kite_v1_Assignments__Output>
      CertificateResponse: MessageTypeDefinition<_kite_v1_CertificateResponse, _kite_v1_CertificateResponse__Output>
      ClaimVolume: MessageTypeDefinition<_kite_v1_ClaimVolume, _kite_v1_ClaimVolume__Output>
      ComponentStatus: MessageTypeDefinition<_kite_v1_ComponentStatus, _kite_v1_ComponentStatus__Output>
      ContainerStatus: MessageTypeDefinition<_kite_v1_ContainerStatus, _kite_v1_ContainerStatus__Output>
      ContainerUsage: MessageTypeDefinition<_kite_v1_ContainerUsage, _kite_v1_ContainerUsage__Output>
      ControllerMessage: MessageTypeDefinition<_kite_v1_ControllerMessage, _kite_v1_ControllerMessage__Output>
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
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _kite_v1_DispatcherClient> & { service: _kite_v1_DispatcherDefinition }
      ExecInput: MessageTypeDefinition<_kite_v1_ExecInput, _kite_v1_ExecInput__Output>
      ExecOutput: MessageTypeDefinition<_kite_v1_ExecOutput, _kite_v1_ExecOutput__Output>
      ExecStart: MessageTypeDefinition<_kite_v1_ExecStart, _kite_v1_ExecStart__Output>
      Heartbeat: MessageTypeDefinition<_kite_v1_Heartbeat, _kite_v1_Heartbeat__Output>
      ImageStatusRequest: MessageTypeDefinition<_kite_v1_ImageStatusRequest, _kite_v1_ImageStatusRequest__Output>
      ImageStatusResponse: MessageTypeDefinition<_kite_v1_ImageStatusResponse, _kite_v1_ImageStatusResponse__Output>
      JoinRequest: MessageTypeDefinition<_kite_v1_JoinRequest, _kite_v1_JoinRequest__Output>
      Kite: SubtypeConstructor<typeof grpc.Client, _kite_v1_KiteClient> & { service: _kite_v1_KiteDefinition }
      ListRequest: MessageTypeDefinition<_kite_v1_ListRequest, _kite_v1_ListRequest__Output>
      ListResponse: MessageTypeDefinition<_kite_v1_ListResponse, _kite_v1_ListResponse__Output>
      ListTokensRequest: MessageTypeDefinition<_kite_v1_ListTokensRequest, _kite_v1_ListTokensRequest__Output>
      ListTokensResponse: MessageTypeDefinition<_kite_v1_ListTokensResponse, _kite_v1_ListTokensResponse__Output>
      ListUsersRequest: MessageTypeDefinition<_kite_v1_ListUsersRequest, _kite_v1_ListUsersRequest__Output>
      ListUsersResponse: MessageTypeDefinition<_kite_v1_ListUsersResponse, _kite_v1_ListUsersResponse__Output>
      LoadImageHeader: MessageTypeDefinition<_kite_v1_LoadImageHeader, _kite_v1_LoadImageHeader__Output>
      LoadImageInput: MessageTypeDefinition<_kite_v1_LoadImageInput, _kite_v1_LoadImageInput__Output>
      LoadImageResult: MessageTypeDefinition<_kite_v1_LoadImageResult, _kite_v1_LoadImageResult__Output>
      LocalVolume: MessageTypeDefinition<_kite_v1_LocalVolume, _kite_v1_LocalVolume__Output>
      LocalVolumeCleanup: MessageTypeDefinition<_kite_v1_LocalVolumeCleanup, _kite_v1_LocalVolumeCleanup__Output>
      LocalVolumeRemoved: MessageTypeDefinition<_kite_v1_LocalVolumeRemoved, _kite_v1_LocalVolumeRemoved__Output>
      LogChunk: MessageTypeDefinition<_kite_v1_LogChunk, _kite_v1_LogChunk__Output>
      LogsRequest: MessageTypeDefinition<_kite_v1_LogsRequest, _kite_v1_LogsRequest__Output>
      NetworkPeer: MessageTypeDefinition<_kite_v1_NetworkPeer, _kite_v1_NetworkPeer__Output>
      NetworkPeers: MessageTypeDefinition<_kite_v1_NetworkPeers, _kite_v1_NetworkPeers__Output>
      NodeImage: MessageTypeDefinition<_kite_v1_NodeImage, _kite_v1_NodeImage__Output>
      NodeImages: MessageTypeDefinition<_kite_v1_NodeImages, _kite_v1_NodeImages__Output>
      NodeInfo: MessageTypeDefinition<_kite_v1_NodeInfo, _kite_v1_NodeInfo__Output>
      ObjectRef: MessageTypeDefinition<_kite_v1_ObjectRef, _kite_v1_ObjectRef__Output>
      ObjectResponse: MessageTypeDefinition<_kite_v1_ObjectResponse, _kite_v1_ObjectResponse__Output>
      PodAssignment: MessageTypeDefinition<_kite_v1_PodAssignment, _kite_v1_PodAssignment__Output>
      PodEvent: MessageTypeDefinition<_kite_v1_PodEvent, _kite_v1_PodEvent__Output>
      PodEventBatch: MessageTypeDefinition<_kite_v1_PodEventBatch, _kite_v1_PodEventBatch__Output>
      PodNetwork: MessageTypeDefinition<_kite_v1_PodNetwork, _kite_v1_PodNetwork__Output>
      PodStatusBatch: MessageTypeDefinition<_kite_v1_PodStatusBatch, _kite_v1_PodStatusBatch__Output>
      PodStatusReport: MessageTypeDefinition<_kite_v1_PodStatusReport, _kite_v1_PodStatusReport__Output>
      PodUsage: MessageTypeDefinition<_kite_v1_PodUsage, _kite_v1_PodUsage__Output>
      PortForwardInput: MessageTypeDefinition<_kite_v1_PortForwardInput, _kite_v1_PortForwardInput__Output>
      PortForwardOutput: MessageTypeDefinition<_kite_v1_PortForwardOutput, _kite_v1_PortForwardOutput__Output>
      PortForwardStart: MessageTypeDefinition<_kite_v1_PortForwardStart, _kite_v1_PortForwardStart__Output>
      PushImageInput: MessageTypeDefinition<_kite_v1_PushImageInput, _kite_v1_PushImageInput__Output>
      PushImageNodeResult: MessageTypeDefinition<_kite_v1_PushImageNodeResult, _kite_v1_PushImageNodeResult__Output>
      PushImageOutput: MessageTypeDefinition<_kite_v1_PushImageOutput, _kite_v1_PushImageOutput__Output>
      PushImagePlan: MessageTypeDefinition<_kite_v1_PushImagePlan, _kite_v1_PushImagePlan__Output>
      PushImageStart: MessageTypeDefinition<_kite_v1_PushImageStart, _kite_v1_PushImageStart__Output>
      RenewCertificateRequest: MessageTypeDefinition<_kite_v1_RenewCertificateRequest, _kite_v1_RenewCertificateRequest__Output>
      ServiceUpdate: MessageTypeDefinition<_kite_v1_ServiceUpdate, _kite_v1_ServiceUpdate__Output>
      Taint: MessageTypeDefinition<_kite_v1_Taint, _kite_v1_Taint__Output>
      TerminalSize: MessageTypeDefinition<_kite_v1_TerminalSize, _kite_v1_TerminalSize__Output>
      TokenInfo: MessageTypeDefinition<_kite_v1_TokenInfo, _kite_v1_TokenInfo__Output>
      UpdateRequest: MessageTypeDefinition<_kite_v1_UpdateRequest, _kite_v1_UpdateRequest__Output>
      UserInfo: MessageTypeDefinition<_kite_v1_UserInfo, _kite_v1_UserInfo__Output>
      VersionRequest: MessageTypeDefinition<_kite_v1_VersionRequest, _kite_v1_VersionRequest__Output>
      VersionResponse: MessageTypeDefinition<_kite_v1_VersionResponse, _kite_v1_VersionResponse__Output>
      WatchEvent: MessageTypeDefinition<_kite_v1_WatchEvent, _kite_v1_WatchEvent__Output>
      WatchRequest: MessageTypeDefinition<_kite_v1_WatchRequest, _kite_v1_WatchRequest__Output>
      Welcome: MessageTypeDefinition<_kite_v1_Welcome, _kite_v1_Welcome__Output>
      WhoAmIRequest: MessageTypeDefinition<_kite_v1_WhoAmIRequest, _kite_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_kite_v1_WhoAmIResponse, _kite_v1_WhoAmIResponse__Output>
    }
  }
}

