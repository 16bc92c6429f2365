// Original file: proto/kite/v1/api.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyRequest as _kite_v1_ApplyRequest, ApplyRequest__Output as _kite_v1_ApplyRequest__Output } from '../../kite/v1/ApplyRequest';
import type { ApplyResponse as _kite_v1_ApplyResponse, ApplyResponse__Output as _kite_v1_ApplyResponse__Output } from '../../kite/v1/ApplyResponse';
import type { DeleteRequest as _kite_v1_DeleteRequest, DeleteRequest__Output as _kite_v1_DeleteRequest__Output } from '../../kite/v1/DeleteRequest';
import type { ExecInput as _kite_v1_ExecInput, ExecInput__Output as _kite_v1_ExecInput__Output } from '../../kite/v1/ExecInput';
import type { ExecOutput as _kite_v1_ExecOutput, ExecOutput__Output as _kite_v1_ExecOutput__Output } from '../../kite/v1/ExecOutput';
import type { ListRequest as _kite_v1_ListRequest, ListRequest__Output as _kite_v1_ListRequest__Output } from '../../kite/v1/ListRequest';
import type { ListResponse as _kite_v1_ListResponse, ListResponse__Output as _kite_v1_ListResponse__Output } from '../../kite/v1/ListResponse';
import type { LogChunk as _kite_v1_LogChunk, LogChunk__Output as _kite_v1_LogChunk__Output } from '../../kite/v1/LogChunk';
import type { LogsRequest as _kite_v1_LogsRequest, LogsRequest__Output as _kite_v1_LogsRequest__Output } from '../../kite/v1/LogsRequest';
import type { ObjectRef as _kite_v1_ObjectRef, ObjectRef__Output as _kite_v1_ObjectRef__Output } from '../../kite/v1/ObjectRef';
import type { ObjectResponse as _kite_v1_ObjectResponse, ObjectResponse__Output as _kite_v1_ObjectResponse__Output } from '../../kite/v1/ObjectResponse';
import type { UpdateRequest as _kite_v1_UpdateRequest, UpdateRequest__Output as _kite_v1_UpdateRequest__Output } from '../../kite/v1/UpdateRequest';
import type { VersionRequest as _kite_v1_VersionRequest, VersionRequest__Output as _kite_v1_VersionRequest__Output } from '../../kite/v1/VersionRequest';
import type { VersionResponse as _kite_v1_VersionResponse, VersionResponse__Output as _kite_v1_VersionResponse__Output } from '../../kite/v1/VersionResponse';
import type { WatchEvent as _kite_v1_WatchEvent, WatchEvent__Output as _kite_v1_WatchEvent__Output } from '../../kite/v1/WatchEvent';
import type { WatchRequest as _kite_v1_WatchRequest, WatchRequest__Output as _kite_v1_WatchRequest__Output } from '../../kite/v1/WatchRequest';

export interface KiteClient extends grpc.Client {
  Apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _kite_v1_ApplyRequest, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _kite_v1_ApplyRequest, callback: grpc.requestCallback<_kite_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _kite_v1_DeleteRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _kite_v1_DeleteRequest, callback: grpc.requestCallback<_kite_v1_ObjectResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  Logs(argument: _kite_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  Logs(argument: _kite_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  logs(argument: _kite_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kite_v1_LogChunk__Output>;
  
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
  
}

export interface KiteHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_kite_v1_ApplyRequest__Output, _kite_v1_ApplyResponse>;
  
  Delete: grpc.handleUnaryCall<_kite_v1_DeleteRequest__Output, _kite_v1_ObjectResponse>;
  
  Exec: grpc.handleBidiStreamingCall<_kite_v1_ExecInput__Output, _kite_v1_ExecOutput>;
  
  Get: grpc.handleUnaryCall<_kite_v1_ObjectRef__Output, _kite_v1_ObjectResponse>;
  
  List: grpc.handleUnaryCall<_kite_v1_ListRequest__Output, _kite_v1_ListResponse>;
  
  Logs: grpc.handleServerStreamingCall<_kite_v1_LogsRequest__Output, _kite_v1_LogChunk>;
  
  Update: grpc.handleUnaryCall<_kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse>;
  
  UpdateStatus: grpc.handleUnaryCall<_kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse>;
  
  Version: grpc.handleUnaryCall<_kite_v1_VersionRequest__Output, _kite_v1_VersionResponse>;
  
  Watch: grpc.handleServerStreamingCall<_kite_v1_WatchRequest__Output, _kite_v1_WatchEvent>;
  
}

export interface KiteDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_kite_v1_ApplyRequest, _kite_v1_ApplyResponse, _kite_v1_ApplyRequest__Output, _kite_v1_ApplyResponse__Output>
  Delete: MethodDefinition<_kite_v1_DeleteRequest, _kite_v1_ObjectResponse, _kite_v1_DeleteRequest__Output, _kite_v1_ObjectResponse__Output>
  Exec: MethodDefinition<_kite_v1_ExecInput, _kite_v1_ExecOutput, _kite_v1_ExecInput__Output, _kite_v1_ExecOutput__Output>
  Get: MethodDefinition<_kite_v1_ObjectRef, _kite_v1_ObjectResponse, _kite_v1_ObjectRef__Output, _kite_v1_ObjectResponse__Output>
  List: MethodDefinition<_kite_v1_ListRequest, _kite_v1_ListResponse, _kite_v1_ListRequest__Output, _kite_v1_ListResponse__Output>
  Logs: MethodDefinition<_kite_v1_LogsRequest, _kite_v1_LogChunk, _kite_v1_LogsRequest__Output, _kite_v1_LogChunk__Output>
  Update: MethodDefinition<_kite_v1_UpdateRequest, _kite_v1_ObjectResponse, _kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse__Output>
  UpdateStatus: MethodDefinition<_kite_v1_UpdateRequest, _kite_v1_ObjectResponse, _kite_v1_UpdateRequest__Output, _kite_v1_ObjectResponse__Output>
  Version: MethodDefinition<_kite_v1_VersionRequest, _kite_v1_VersionResponse, _kite_v1_VersionRequest__Output, _kite_v1_VersionResponse__Output>
  Watch: MethodDefinition<_kite_v1_WatchRequest, _kite_v1_WatchEvent, _kite_v1_WatchRequest__Output, _kite_v1_WatchEvent__Output>
}
