// The cluster as one scheduling batch sees it: built once from the store's nodes and bound pods,
// then updated in memory as the scheduler places pods, so a batch of 10,000 pods never re-reads
// the store. Not thread-safe by design: one batch owns one snapshot.
import type { Node, Pod } from '../../common/api/types';
import { isPodTerminal } from '../../common/api/pod';
import { conflict, notFound } from '../../common/errors';
import { NodeInfo } from './node-info';
import { podInfoOf, podKey } from './pod-info';
import { PodMatchIndex } from './pod-match-index';
import type { NamespaceLabels } from './pod-topology';

export class ClusterSnapshot {
  readonly nodes: readonly NodeInfo[];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly placement = new Map<string, NodeInfo>();
  /** Where the next pod's node scan starts; rotated so that equal nodes fill evenly. */
  cursor = 0;
  /** Bumped whenever capacity is freed (forget), which can make a previously failing pod fit. */
  releases = 0;
  /** Placed pods carrying inter-pod affinity terms: while none, pods without terms of their own
   *  skip the inter-pod rules entirely. */
  podsWithAffinity = 0;
  /** Namespace labels, for affinity terms with a namespaceSelector (none known when unset). */
  namespaceLabels: NamespaceLabels | undefined;
  /** Placed pods by what inter-pod rules select (see pod-match-index.ts). */
  readonly podIndex = new PodMatchIndex();

  constructor(nodes: readonly NodeInfo[]) {
    this.nodes = nodes;
    for (const n of nodes) {
      this.byName.set(n.name, n);
      this.podsWithAffinity += n.podsWithAffinity.length;
      this.podIndex.addNode(n);
    }
  }

  /** Nodes plus the pods bound to them (spec.nodeName). Finished pods hold no resources and pods
   *  bound to unknown nodes are ignored. */
  static build(nodes: readonly Node[], pods: readonly Pod[]): ClusterSnapshot {
    const snapshot = new ClusterSnapshot(nodes.map((n) => new NodeInfo(n)));
    for (const pod of pods) {
      const nodeName = pod.spec.nodeName;
      if (!nodeName || isPodTerminal(pod)) continue;
      const node = snapshot.byName.get(nodeName);
      if (!node || snapshot.placement.has(podKey(pod))) continue;
      try {
        snapshot.place(pod, node);
      } catch {
        // A bound pod whose requests do not parse (admission should prevent it) is left out
        // rather than failing the whole batch.
      }
    }
    return snapshot;
  }

  node(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  /** The node the pod is bound or assumed to, if any. */
  nodeOf(pod: Pod): string | undefined {
    return this.placement.get(podKey(pod))?.name;
  }

  /** Counts the pod against the node, before its binding is durable. */
  assume(pod: Pod, nodeName: string): void {
    const node = this.byName.get(nodeName);
    if (!node) throw notFound(`node "${nodeName}" not found in scheduling snapshot`);
    const existing = this.placement.get(podKey(pod));
    if (existing) throw conflict(`pod "${podKey(pod)}" is already on node "${existing.name}"`);
    this.place(pod, node);
  }

  /** Undoes assume (e.g. the binding failed). Returns false when the pod was not placed. */
  forget(pod: Pod): boolean {
    const key = podKey(pod);
    const node = this.placement.get(key);
    if (!node) return false;
    const info = node.pods.get(key);
    if (info?.topology?.hasAffinity) this.podsWithAffinity--;
    node.removePod(key);
    if (info) this.podIndex.removed(info, node);
    this.placement.delete(key);
    this.releases++;
    return true;
  }

  private place(pod: Pod, node: NodeInfo): void {
    const info = podInfoOf(pod);
    node.addPod(info);
    if (info.topology?.hasAffinity) this.podsWithAffinity++;
    this.podIndex.added(info, node);
    this.placement.set(info.key, node);
  }
}
