// Original file: proto/kite/v1/agent.proto


export interface ContainerStatus {
  'name'?: (string);
  'container_id'?: (string);
  'image'?: (string);
  'image_id'?: (string);
  'state'?: (string);
  'reason'?: (string);
  'message'?: (string);
  'exit_code'?: (number);
  'restart_count'?: (number);
  'ready'?: (boolean);
  'started'?: (boolean);
  'started_at'?: (string);
  'finished_at'?: (string);
  'last_reason'?: (string);
  'last_exit_code'?: (number);
  'last_finished_at'?: (string);
}

export interface ContainerStatus__Output {
  'name': (string);
  'container_id': (string);
  'image': (string);
  'image_id': (string);
  'state': (string);
  'reason': (string);
  'message': (string);
  'exit_code': (number);
  'restart_count': (number);
  'ready': (boolean);
  'started': (boolean);
  'started_at': (string);
  'finished_at': (string);
  'last_reason': (string);
  'last_exit_code': (number);
  'last_finished_at': (string);
}
