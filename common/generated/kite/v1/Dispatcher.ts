// Original file: proto/kite/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _kite_v1_AgentMessage, AgentMessage__Output as _kite_v1_AgentMessage__Output } from '../../kite/v1/AgentMessage';
import type { CertificateResponse as _kite_v1_CertificateResponse, CertificateResponse__Output as _kite_v1_CertificateResponse__Output } from '../../kite/v1/CertificateResponse';
import type { ControllerMessage as _kite_v1_ControllerMessage, ControllerMessage__Output as _kite_v1_ControllerMessage__Output } from '../../kite/v1/ControllerMessage';
import type { JoinRequest as _kite_v1_JoinRequest, JoinRequest__Output as _kite_v1_JoinRequest__Output } from '../../kite/v1/JoinRequest';
import type { RenewCertificateRequest as _kite_v1_RenewCertificateRequest, RenewCertificateRequest__Output as _kite_v1_RenewCertificateRequest__Output } from '../../kite/v1/RenewCertificateRequest';

export interface DispatcherClient extends grpc.Client {
  Join(argument: _kite_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kite_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kite_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kite_v1_JoinRequest, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kite_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kite_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kite_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kite_v1_JoinRequest, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  
  RenewCertificate(argument: _kite_v1_RenewCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _kite_v1_RenewCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _kite_v1_RenewCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _kite_v1_RenewCertificateRequest, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _kite_v1_RenewCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _kite_v1_RenewCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _kite_v1_RenewCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewCertificate(argument: _kite_v1_RenewCertificateRequest, callback: grpc.requestCallback<_kite_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  
}

export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleUnaryCall<_kite_v1_JoinRequest__Output, _kite_v1_CertificateResponse>;
  
  RenewCertificate: grpc.handleUnaryCall<_kite_v1_RenewCertificateRequest__Output, _kite_v1_CertificateResponse>;
  
  Session: grpc.handleBidiStreamingCall<_kite_v1_AgentMessage__Output, _kite_v1_ControllerMessage>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_kite_v1_JoinRequest, _kite_v1_CertificateResponse, _kite_v1_JoinRequest__Output, _kite_v1_CertificateResponse__Output>
  RenewCertificate: MethodDefinition<_kite_v1_RenewCertificateRequest, _kite_v1_CertificateResponse, _kite_v1_RenewCertificateRequest__Output, _kite_v1_CertificateResponse__Output>
  Session: MethodDefinition<_kite_v1_AgentMessage, _kite_v1_ControllerMessage, _kite_v1_AgentMessage__Output, _kite_v1_ControllerMessage__Output>
}
