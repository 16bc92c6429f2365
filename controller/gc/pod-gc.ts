// Pod garbage collection (leader only): finishes graceful deletions that no agent will finish.
// A Terminating pod is normally removed by the dispatcher once its agent reports its containers
// stopped. This removes it instead when it runs nowhere (never bound, or its Node is gone), when
// its node has been NotReady past the pod's grace (a lost node cannot hold a pod forever), and
// when its last finalizer went after the agent had already stopped it.
import type { Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { isKiteError } from '../../common/errors';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';
import { objectKey } from '../informer';

export class PodGarbageCollector extends WorkloadController<Pod> {
  constructor(deps: WorkloadDeps) {
    super('pod-gc', 'Pod', deps);
    // A node going NotReady or away may release its Terminating pods. Node objects change with
    // every usage report: only a change of readiness (or the node's removal) is worth a scan.
    this.informers.get<Node>('Node').on((type, node, old) => {
      if (type === 'MODIFIED' && old && isNodeReady(old) === isNodeReady(node)) return;
      for (const pod of this.informers.get<Pod>('Pod').list()) {
        if (pod.metadata.deletionTimestamp && pod.spec.nodeName === node.metadata.name) this.enqueue(objectKey(pod));
      }
    });
  }

  protected watchedKinds(): string[] {
    return ['Pod', 'Node'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const pod = this.cached(key);
    if (!pod?.metadata.deletionTimestamp || (pod.metadata.finalizers ?? []).length > 0) return;
    const verdict = this.verdict(pod);
    if (verdict.waitMs === Infinity) return;
    if (verdict.waitMs > 0) return verdict.waitMs;
    try {
      await this.store.delete('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name, { finalize: true, resourceVersion: pod.metadata.resourceVersion });
      this.log.info({ pod: key, node: pod.spec.nodeName, reason: verdict.reason }, 'removed terminating pod');
    } catch (e) {
      if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
    }
  }

  /** Whether the pod can go now (waitMs 0, with why) or when to look again (Infinity: on the next change). */
  private verdict(pod: Pod): { waitMs: number; reason?: string } {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return { waitMs: 0, reason: 'not bound to a node' };
    const node = this.informers.get<Node>('Node').get(nodeName);
    if (!node) return { waitMs: 0, reason: 'its node is gone' };
    if (containersStopped(pod)) return { waitMs: 0, reason: 'its containers are stopped' };
    if (isNodeReady(node)) return { waitMs: Infinity };
    const deadline = Date.parse(pod.metadata.deletionTimestamp!) + (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    const left = deadline - this.clock.now();
    return left <= 0 ? { waitMs: 0, reason: 'its node is NotReady past the grace period' } : { waitMs: left };
  }
}

/** The agent reported every container of the Terminating pod stopped. */
function containersStopped(pod: Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((c) => !!c.state?.terminated);
}
