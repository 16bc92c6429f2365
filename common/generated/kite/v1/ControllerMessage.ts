// Original file: proto/kite/v1/agent.proto

import type { Welcome as _kite_v1_Welcome, Welcome__Output as _kite_v1_Welcome__Output } from '../../kite/v1/Welcome';
import type { Assignments as _kite_v1_Assignments, Assignments__Output as _kite_v1_Assignments__Output } from '../../kite/v1/Assignments';

export interface ControllerMessage {
  'welcome'?: (_kite_v1_Welcome | null);
  'assignments'?: (_kite_v1_Assignments | null);
  'msg'?: "welcome"|"assignments";
}

export interface ControllerMessage__Output {
  'welcome'?: (_kite_v1_Welcome__Output | null);
  'assignments'?: (_kite_v1_Assignments__Output | null);
  'msg'?: "welcome"|"assignments";
}
