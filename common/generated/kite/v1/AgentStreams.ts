// Original file: proto/kite/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentExecInput as _kite_v1_AgentExecInput, AgentExecInput__Output as _kite_v1_AgentExecInput__Output } from '../../kite/v1/AgentExecInput';
import type { AgentLogsRequest as _kite_v1_AgentLogsRequest, AgentLogsRequest__Output as _kite_v1_AgentLogsRequest__Output } from '../../kite/v1/AgentLogsRequest';
import type { AgentPortForwardInput as _kite_v1_AgentPortForwardInput, AgentPortForwardInput__Output as _kite_v1_AgentPortForwardInput__Output } from '../../kite/v1/AgentPortForwardInput';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from '../../kite/v1/ExecOutput';
import type { ImageStatusRequest as _kite_v1_ImageStatusRequest, ImageStatusRequest__Output as _kite_v1_ImageStatusRequest__Output } from '../../kite/v1/ImageStatusRequest';
import type { ImageStatusResponse as _kite_v1_ImageStatusResponse, ImageStatusResponse__Output as _kite_v1_ImageStatusResponse__Output } from '../../kite/v1/ImageStatusResponse';
import type { LoadImageInput as _kite_v1_LoadImageInput, LoadImageInput__Output as _kite_v1_LoadImageInput__Output } from '../../kite/v1/LoadImageInput';
import type { LoadImageResult as _kite_v1_LoadImageResult, LoadImageResult__Output as _kite_v1_LoadImageResult__Output } from '../../kite/v1/LoadImageResult';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from '../../kite/v1/LogChunk';
import type { PortForwardOutput as _kite_v1_PortForwardOutput, PortForwardOutput__Output as _kite_v1_PortForwardOutput__Output } from '../../kite/v1/PortForwardOutput';

export interface AgentStreamsClient extends grpc.Client {
  Exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  Exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  
  ImageStatus(argument: _kite_v1_ImageStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  ImageStatus(argument: _kite_v1_ImageStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  ImageStatus(argument: _kite_v1_ImageStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  ImageStatus(argument: _kite_v1_ImageStatusRequest, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  imageStatus(argument: _kite_v1_ImageStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  imageStatus(argument: _kite_v1_ImageStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  imageStatus(argument: _kite_v1_ImageStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  imageStatus(argument: _kite_v1_ImageStatusRequest, callback: grpc.requestCallback<_kite_v1_ImageStatusResponse__Output>): grpc.ClientUnaryCall;
  
  LoadImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  LoadImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  LoadImage(options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  LoadImage(callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  loadImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  loadImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  loadImage(options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  loadImage(callback: grpc.requestCallback<_kite_v1_LoadImageResult__Output>): grpc.ClientWritableStream<_kite_v1_LoadImageInput>;
  
  Logs(argument: _kite_v1_AgentLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  Logs(argument: _kite_v1_AgentLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_AgentLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_AgentLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  
  PortForward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentPortForwardInput, _kite_v1_PortForwardOutput__Output>;
  PortForward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentPortForwardInput, _kite_v1_PortForwardOutput__Output>;
  portForward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentPortForwardInput, _kite_v1_PortForwardOutput__Output>;
  portForward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentPortForwardInput, _kite_v1_PortForwardOutput__Output>;
  
}

export interface AgentStreamsHandlers extends grpc.UntypedServiceImplementation {
  Exec: grpc.handleBidiStreamingCall<_kite_v1_AgentExecInput__Output, _kite_v1_ExecOutput>;
  
  ImageStatus: grpc.handleUnaryCall<_kite_v1_ImageStatusRequest__Output, _kite_v1_ImageStatusResponse>;
  
  LoadImage: grpc.handleClientStreamingCall<_kite_v1_LoadImageInput__Output, _kite_v1_LoadImageResult>;
  
  Logs: grpc.handleServerStreamingCall<_kite_v1_AgentLogsRequest__Output, _kite_v1_LogChunk>;
  
  PortForward: grpc.handleBidiStreamingCall<_kite_v1_AgentPortForwardInput__Output, _kite_v1_PortForwardOutput>;
  
}

export interface AgentStreamsDefinition extends grpc.ServiceDefinition {
  Exec: MethodDefinition<_kite_v1_AgentExecInput, _kite_v1_ExecOutput, _kite_v1_AgentExecInput__Output, _kite_v1_ExecOutput__Output>
  ImageStatus: MethodDefinition<_kite_v1_ImageStatusRequest, _kite_v1_ImageStatusResponse, _kite_v1_ImageStatusRequest__Output, _kite_v1_ImageStatusResponse__Output>
  LoadImage: MethodDefinition<_kite_v1_LoadImageInput, _kite_v1_LoadImageResult, _kite_v1_LoadImageInput__Output, _kite_v1_LoadImageResult__Output>
  Logs: MethodDefinition<_kite_v1_AgentLogsRequest, _kite_v1_LogChunk, _kite_v1_AgentLogsRequest__Output, _kite_v1_LogChunk__Output>
  PortForward: MethodDefinition<_kite_v1_AgentPortForwardInput, _kite_v1_PortForwardOutput, _kite_v1_AgentPortForwardInput__Output, _kite_v1_PortForwardOutput__Output>
}
