// The DaemonSet controller: one pod per eligible node. As in Kubernetes it decides which nodes
// should run a daemon pod (node-eligibility.ts) and creates each pod pinned to its node by a
// required node affinity; the scheduler binds it through the usual filters, so a daemon pod
// respects resources and host ports (and waits Pending, with the scheduler's reason, when its
// node is full). Follows nodes coming and going and their labels and taints; rolls a new template
// node by node (delete the old pod, then create the new one once it is gone) within maxUnavailable.
// Terminating pods (deletionTimestamp set) are neither counted nor deleted again, and a node's
// replacement waits until its terminating pod is gone, so two daemon pods never overlap there.
import type { DaemonSet, Node, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { isBeingDeleted, isPodTerminal } from '../../common/api/pod';
import { canonicalJson } from '../../common/canonical';
import { parseIntOrPercent } from '../../common/manifest/quantity';
import type { WorkloadDeps } from './base';
import { PodOwnerController } from './pod-owner';
import type { PodIndex } from './pod-index';
import { generatedName, isPodReady, podAvailability, podFromTemplate, randomSuffix, templateHash } from './pods';
import { daemonPodFitsNode, withDaemonTolerations } from './node-eligibility';
import { daemonPodNodeName, pinnedToNode } from './daemon-pod-node';

export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

type DsStatus = NonNullable<DaemonSet['status']>;

export class DaemonSetController extends PodOwnerController<DaemonSet> {
  constructor(deps: WorkloadDeps, pods: PodIndex) {
    super('daemonset-controller', 'DaemonSet', deps, pods);
    // Any node change (joined, left, relabelled, tainted) can change where every DaemonSet belongs.
    this.informers.get<Node>('Node').on((type, node, old) => {
      if (type === 'MODIFIED' && old && canonicalJson([old.metadata.labels, old.spec]) === canonicalJson([node.metadata.labels, node.spec])) return;
      this.enqueueAll();
    });
  }

  protected watchedKinds(): string[] {
    return ['DaemonSet', 'Pod', 'Node'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const ds = this.cached(key);
    if (!ds) return;
    const now = this.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const hash = templateHash(ds.spec.template);
    const nodes = [...this.informers.get<Node>('Node').list()];
    /** Live pods by the node they are bound or pinned to. */
    const byNode = new Map<string, Pod[]>();
    /** Nodes where a pod of ours is still terminating. */
    const terminatingOn = new Set<string>();
    const toDelete: Pod[] = [];
    for (const p of this.pods.ownedBy(ds.metadata.uid)) {
      const nodeName = daemonPodNodeName(p);
      if (isBeingDeleted(p)) {
        if (nodeName) terminatingOn.add(nodeName);
      } else if (isPodTerminal(p) || !nodeName) {
        toDelete.push(p); // ended (replaced below), or a pod that says no node
      } else {
        byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), p]);
      }
    }

    const toCreate: string[] = [];
    const isNew = (p: Pod) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash;
    const isAvailable = (p: Pod) => podAvailability(p, minReady, now).available;
    let desired = 0, current = 0, ready = 0, available = 0, updated = 0, misscheduled = 0;
    let waitMs = Infinity;
    const oldOnNodes: Pod[] = [];
    let unavailableNodes = 0;

    const known = new Set(nodes.map((n) => n.metadata.name));
    for (const [nodeName, pods] of byNode) if (!known.has(nodeName)) toDelete.push(...pods); // node is gone

    for (const node of nodes) {
      const name = node.metadata.name;
      const pods = byNode.get(name) ?? [];
      if (!daemonPodFitsNode(ds.spec.template.spec, node)) {
        if (pods.length) misscheduled++;
        toDelete.push(...pods);
        continue;
      }
      desired++;
      if (!pods.length) {
        if (!terminatingOn.has(name)) toCreate.push(name);
        unavailableNodes++;
        continue;
      }
      current++;
      // Several pods on one node: keep the best (new template, then available, then oldest).
      const sorted = [...pods].sort((a, b) => rankKeep(b, isNew, isAvailable) - rankKeep(a, isNew, isAvailable) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
      const keep = sorted[0]!;
      toDelete.push(...sorted.slice(1));
      if (isPodReady(keep)) ready++;
      const a = podAvailability(keep, minReady, now);
      if (a.available) available++;
      else {
        waitMs = Math.min(waitMs, a.waitMs);
        unavailableNodes++;
      }
      if (isNew(keep)) updated++;
      else oldOnNodes.push(keep);
    }

    // Rolling update: an old pod that is not available anyway goes at once; an available one only within the budget.
    if (ds.spec.updateStrategy?.type !== 'OnDelete') {
      const maxUnavailable = Math.max(1, parseIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true));
      let budget = maxUnavailable - unavailableNodes;
      for (const p of oldOnNodes) {
        if (!isAvailable(p)) toDelete.push(p);
        else if (budget > 0) {
          toDelete.push(p);
          budget--;
        }
      }
    }

    if (!this.expectations.satisfied(key)) {
      waitMs = Math.min(waitMs, this.expectations.expiresInMs(key));
    } else {
      if (toDelete.length) {
        await this.deleteOwnedPods(key, toDelete);
      }
      if (toCreate.length) {
        const fresh = toCreate.map((nodeName) => this.podFor(ds, hash, nodeName));
        const created = await this.createOwnedPods(key, fresh);
        for (const p of created.slice(0, 10)) this.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`);
      }
    }

    const status: DsStatus = {
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberReady: ready,
      numberAvailable: available,
      updatedNumberScheduled: updated,
      numberMisscheduled: misscheduled,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    if (canonicalJson(ds.status ?? {}) !== canonicalJson(status)) {
      try {
        await this.store.updateStatus<DaemonSet>({ ...ds, metadata: { ...ds.metadata, resourceVersion: undefined }, status });
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
    }
    return Number.isFinite(waitMs) ? waitMs : undefined;
  }

  private podFor(ds: DaemonSet, hash: string, nodeName: string): Pod {
    const pod = podFromTemplate(ds.spec.template, ds, generatedName(ds.metadata.name, randomSuffix()), { [CONTROLLER_REVISION_HASH]: hash });
    pod.spec.affinity = pinnedToNode(pod.spec.affinity, nodeName);
    pod.spec.tolerations = withDaemonTolerations(pod.spec.tolerations);
    return pod;
  }
}

function rankKeep(p: Pod, isNew: (p: Pod) => boolean, isAvailable: (p: Pod) => boolean): number {
  return (isNew(p) ? 2 : 0) + (isAvailable(p) ? 1 : 0);
}
