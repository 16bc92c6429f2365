// Original file: proto/kite/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentExecInput as _kite_v1_AgentExecInput, AgentExecInput__Output as _kite_v1_AgentExecInput__Output } from '../../kite/v1/AgentExecInput';
import type { AgentLogsRequest as _kite_v1_AgentLogsRequest, AgentLogsRequest__Output as _kite_v1_AgentLogsRequest__Output } from '../../kite/v1/AgentLogsRequest';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from '../../kite/v1/ExecOutput';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from '../../kite/v1/LogChunk';

export interface AgentStreamsClient extends grpc.Client {
  Exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  Exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  exec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kite_v1_AgentExecInput, _kite_v1_ExecOutput__Output>;
  
  Logs(argument: _kite_v1_AgentLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  Logs(argument: _kite_v1_AgentLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_AgentLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_AgentLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  
}

export interface AgentStreamsHandlers extends grpc.UntypedServiceImplementation {
  Exec: grpc.handleBidiStreamingCall<_kite_v1_AgentExecInput__Output, _kite_v1_ExecOutput>;
  
  Logs: grpc.handleServerStreamingCall<_kite_v1_AgentLogsRequest__Output, _kite_v1_LogChunk>;
  
}

export interface AgentStreamsDefinition extends grpc.ServiceDefinition {
  Exec: MethodDefinition<_kite_v1_AgentExecInput, _kite_v1_ExecOutput, _kite_v1_AgentExecInput__Output, _kite_v1_ExecOutput__Output>
  Logs: MethodDefinition<_kite_v1_AgentLogsRequest, _kite_v1_LogChunk, _kite_v1_AgentLogsRequest__Output, _kite_v1_LogChunk__Output>
}
