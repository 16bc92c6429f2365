// PreferNoSchedule taints the pod does not tolerate push it elsewhere when there is a choice.
import { toleratesAny } from '../../../common/api/toleration';
import type { Scorer } from './scorer';
import { normalizeToMax } from './scorer';

export const taintPreferenceScorer: Scorer = {
  name: 'TaintToleration',
  weight: 3,
  appliesTo: () => true,
  score: (pod, node) => {
    let untolerated = 0;
    for (const t of node.softTaints) if (!toleratesAny(pod.tolerations, t)) untolerated++;
    return untolerated;
  },
  normalize: (scores, count) => normalizeToMax(scores, count, true),
};
