// The snapshot's index of placed pods for the inter-pod rules, kept up to date as pods are placed
// and forgotten, so a pod's rules cost a few lookups instead of a walk over every placed pod:
//  - per selector (an affinity term, a spread constraint), how many placed pods it matches on
//    each node, computed by one walk the first time a pod asks and then maintained;
//  - the terms of placed pods (which newcomers must respect), grouped by identical term, with the
//    nodes holding them.
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { AffinityTerm, PodTopologyRules } from './pod-topology';

export type Counts = ReadonlyMap<NodeInfo, number>;

interface Matcher {
  readonly matches: (pod: PodInfo) => boolean;
  readonly perNode: Map<NodeInfo, number>;
}

/** Which of a placed pod's term lists a group holds, and how it weighs for newcomers it selects. */
export type PlacedTermKind = 'requiredAntiAffinity' | 'requiredAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

export interface PlacedTerms {
  readonly kind: PlacedTermKind;
  readonly term: AffinityTerm;
  readonly weight: number;
  /** Placed pods carrying this term, per node. */
  readonly perNode: Map<NodeInfo, number>;
}

const signatures = new WeakMap<AffinityTerm, string>();

/** Equal for terms that select the same pods in the same domains. */
export function termSignature(t: AffinityTerm): string {
  let s = signatures.get(t);
  if (s === undefined) {
    s = `${t.topologyKey}|${t.selector === null ? '<none>' : t.selector.toString()}|${t.namespaces.join(',')}|${t.namespaceSelector?.toString() ?? '<none>'}`;
    signatures.set(t, s);
  }
  return s;
}

export class PodMatchIndex {
  private readonly matchers = new Map<string, Matcher>();
  private readonly placed = new Map<string, PlacedTerms>();
  private readonly nodes: NodeInfo[] = [];

  /** Registers a node and the pods already on it. */
  addNode(node: NodeInfo): void {
    this.nodes.push(node);
    for (const pod of node.pods.values()) this.placedTermsChanged(pod, node, 1);
  }

  /** Placed pods the predicate selects, per node (only nodes with at least one). `signature`
   *  must identify the predicate: equal signatures share one count. */
  matching(signature: string, matches: (pod: PodInfo) => boolean): Counts {
    let m = this.matchers.get(signature);
    if (!m) {
      m = { matches, perNode: new Map() };
      for (const node of this.nodes) {
        let n = 0;
        for (const pod of node.pods.values()) if (matches(pod)) n++;
        if (n > 0) m.perNode.set(node, n);
      }
      this.matchers.set(signature, m);
    }
    return m.perNode;
  }

  /** The terms of placed pods, grouped by identical term. */
  placedTerms(): IterableIterator<PlacedTerms> {
    return this.placed.values();
  }

  get hasPlacedTerms(): boolean {
    return this.placed.size > 0;
  }

  added(pod: PodInfo, node: NodeInfo): void {
    this.changed(pod, node, 1);
  }

  removed(pod: PodInfo, node: NodeInfo): void {
    this.changed(pod, node, -1);
  }

  private changed(pod: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    for (const m of this.matchers.values()) if (m.matches(pod)) bump(m.perNode, node, sign);
    this.placedTermsChanged(pod, node, sign);
  }

  private placedTermsChanged(pod: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    const rules = pod.topology;
    if (rules === undefined || !rules.hasAffinity) return;
    this.group(rules, 'requiredAntiAffinity', node, sign);
    this.group(rules, 'requiredAffinity', node, sign);
    this.group(rules, 'preferredAffinity', node, sign);
    this.group(rules, 'preferredAntiAffinity', node, sign);
  }

  private group(rules: PodTopologyRules, kind: PlacedTermKind, node: NodeInfo, sign: 1 | -1): void {
    const list = rules[kind];
    for (const item of list) {
      const { term, weight } = 'term' in item ? item : { term: item, weight: 1 };
      const key = `${kind}|${weight}|${termSignature(term)}`;
      let g = this.placed.get(key);
      if (!g) this.placed.set(key, (g = { kind, term, weight, perNode: new Map() }));
      bump(g.perNode, node, sign);
      if (g.perNode.size === 0) this.placed.delete(key);
    }
  }
}

function bump(perNode: Map<NodeInfo, number>, node: NodeInfo, sign: 1 | -1): void {
  const n = (perNode.get(node) ?? 0) + sign;
  if (n > 0) perNode.set(node, n);
  else perNode.delete(node);
}
