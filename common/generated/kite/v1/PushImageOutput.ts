// Original file: proto/kite/v1/api.proto

import type { PushImagePlan as _kite_v1_PushImagePlan, PushImagePlan__Output as _kite_v1_PushImagePlan__Output } from '../../kite/v1/PushImagePlan';
import type { PushImageNodeResult as _kite_v1_PushImageNodeResult, PushImageNodeResult__Output as _kite_v1_PushImageNodeResult__Output } from '../../kite/v1/PushImageNodeResult';

export interface PushImageOutput {
  'plan'?: (_kite_v1_PushImagePlan | null);
  'result'?: (_kite_v1_PushImageNodeResult | null);
  'output'?: "plan"|"result";
}

export interface PushImageOutput__Output {
  'plan'?: (_kite_v1_PushImagePlan__Output | null);
  'result'?: (_kite_v1_PushImageNodeResult__Output | null);
  'output'?: "plan"|"result";
}
