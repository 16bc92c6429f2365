// Original file: proto/kite/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _kite_v1_AgentMessage, AgentMessage__Output as _kite_v1_AgentMessage__Output } from '../../kite/v1/AgentMessage';
import type { ControllerMessage as _kite_v1_ControllerMessage, ControllerMessage__Output as _kite_v1_ControllerMessage__Output } from '../../kite/v1/ControllerMessage';

export interface DispatcherClient extends grpc.Client {
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentMessage, _kite_v1_ControllerMessage__Output>;
  
}

export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  Session: grpc.handleBidiStreamingCall<_kite_v1_AgentMessage__Output, _kite_v1_ControllerMessage>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Session: MethodDefinition<_kite_v1_AgentMessage, _kite_v1_ControllerMessage, _kite_v1_AgentMessage__Output, _kite_v1_ControllerMessage__Output>
}
