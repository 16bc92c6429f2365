// Pods that mount PersistentVolumeClaims (kube-scheduler's VolumeBinding and VolumeRestrictions
// in one rule): a claim that is missing, being deleted or unbound with Immediate binding fits no
// node; a bound claim's volume keeps the pod to the nodes its nodeAffinity allows (a local-path
// volume: the node it was provisioned on); an unbound WaitForFirstConsumer claim allows the nodes
// where it can get a volume (a static one whose nodeAffinity allows the node, or a new local-path
// one on a node whose agent has a storage dir). Pods without claims skip the rule (appliesTo).
import type { ClusterChange } from '../cluster-change';
import type { NodeInfo } from '../node-info';
import type { Filter, Rejection } from './filter';

/** What the rule asks about claims; controller/storage/volume-placement.ts answers from the informers. */
export interface ClaimVolumes {
  /** Why no node can take a pod using the claim (`namespace/name`) now, or undefined. */
  problem(claim: string): string | undefined;
  /** Why this node cannot have the claim's volume, or undefined when it can. */
  nodeProblem(claim: string, node: NodeInfo): string | undefined;
}

const NAME = 'VolumeBinding';
// Claims and volumes changing is what undoes these rejections; node labels for volume node affinity.
const REQUEUE_ON: readonly ClusterChange[] = ['volumes', 'labels', 'added'];

export function volumeBindingFilter(volumes: ClaimVolumes): Filter {
  const rejections = new Map<string, Rejection>();
  const rejection = (reason: string): Rejection => {
    let r = rejections.get(reason);
    if (!r) rejections.set(reason, (r = { filter: NAME, reason, unresolvable: true }));
    return r;
  };
  return {
    name: NAME,
    podFields: ['claims'],
    requeueOn: REQUEUE_ON,
    appliesTo: (pod) => pod.claims.length > 0,
    check: (pod, node) => {
      for (const claim of pod.claims) {
        const reason = volumes.problem(claim) ?? volumes.nodeProblem(claim, node);
        if (reason !== undefined) return rejection(reason);
      }
      return null;
    },
  };
}
