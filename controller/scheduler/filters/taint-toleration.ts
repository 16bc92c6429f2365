// Every NoSchedule and NoExecute taint on the node needs a matching toleration on the pod.
import type { Filter } from './filter';
import { toleratesAny } from '../../../common/api/toleration';

export const taintTolerationFilter: Filter = {
  name: 'TaintToleration',
  podFields: ['tolerations'],
  requeueOn: ['taints', 'added'],
  appliesTo: () => true,
  check: (pod, node) => {
    for (const taint of node.hardTaints) {
      if (!toleratesAny(pod.tolerations, taint)) {
        return {
          filter: 'TaintToleration',
          reason: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`,
          unresolvable: true,
        };
      }
    }
    return null;
  },
};
