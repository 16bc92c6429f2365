// A pod's rules about other pods, parsed once per pod: inter-pod affinity and anti-affinity terms
// and topology spread constraints, with their selectors resolved (matchLabelKeys merged in, the
// default namespace filled in). The filters and scorers then only match labels.
import type { LabelSelector, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../common/api/types';
import { Selector, selectorFromLabelSelector, type Requirement } from '../../common/manifest/selector';

/** Labels of a namespace by name (undefined when unknown); what a term's namespaceSelector reads. */
export type NamespaceLabels = (namespace: string) => Readonly<Record<string, string>> | undefined;

export interface AffinityTerm {
  /** null: the term has no labelSelector and matches no pod, as in Kubernetes. */
  readonly selector: Selector | null;
  /** Namespaces searched by name (the owning pod's own when neither these nor a selector is given). */
  readonly namespaces: readonly string[];
  /** Namespaces searched by label; an empty selector is every namespace. */
  readonly namespaceSelector: Selector | undefined;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm {
  readonly weight: number;
  readonly term: AffinityTerm;
}

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** null: no labelSelector, so no pod is counted. */
  readonly selector: Selector | null;
  readonly minDomains: number;
  /** Whether only nodes matching the pod's node affinity/selector are domains (Honor, the default). */
  readonly honorNodeAffinity: boolean;
  /** Whether only nodes whose taints the pod tolerates are domains (Honor; Ignore is the default). */
  readonly honorNodeTaints: boolean;
}

export interface PodTopologyRules {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** whenUnsatisfiable: DoNotSchedule (a filter). */
  readonly hardSpread: readonly SpreadConstraint[];
  /** whenUnsatisfiable: ScheduleAnyway (a scorer). */
  readonly softSpread: readonly SpreadConstraint[];
  /** Whether other pods must respect this pod's affinity terms (any of the four lists is non-empty). */
  readonly hasAffinity: boolean;
}

/** The pod's inter-pod rules; undefined when it has none (the common case, which then costs nothing). */
export function topologyRulesOf(pod: Pod): PodTopologyRules | undefined {
  const { podAffinity, podAntiAffinity } = pod.spec.affinity ?? {};
  const constraints = pod.spec.topologySpreadConstraints ?? [];
  if (!podAffinity && !podAntiAffinity && constraints.length === 0) return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const term = (t: PodAffinityTerm) => affinityTermOf(t, namespace, labels);
  const weighted = (w: { weight: number; podAffinityTerm: PodAffinityTerm }) => ({ weight: w.weight, term: term(w.podAffinityTerm) });
  const rules = {
    requiredAffinity: (podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(term),
    requiredAntiAffinity: (podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(term),
    preferredAffinity: (podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((w) => w.weight > 0).map(weighted),
    preferredAntiAffinity: (podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((w) => w.weight > 0).map(weighted),
    hardSpread: constraints.filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway').map((c) => spreadConstraintOf(c, labels)),
    softSpread: constraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map((c) => spreadConstraintOf(c, labels)),
  };
  const hasAffinity =
    rules.requiredAffinity.length + rules.requiredAntiAffinity.length + rules.preferredAffinity.length + rules.preferredAntiAffinity.length > 0;
  return { ...rules, hasAffinity };
}

function affinityTermOf(t: PodAffinityTerm, ownNamespace: string, ownLabels: Readonly<Record<string, string>>): AffinityTerm {
  const namespaces = t.namespaces ?? [];
  const namespaceSelector = t.namespaceSelector ? selectorFromLabelSelector(t.namespaceSelector) : undefined;
  const extra: Requirement[] = [];
  for (const key of t.matchLabelKeys ?? []) if (key in ownLabels) extra.push({ key, operator: 'In', values: [ownLabels[key]!] });
  for (const key of t.mismatchLabelKeys ?? []) if (key in ownLabels) extra.push({ key, operator: 'NotIn', values: [ownLabels[key]!] });
  return {
    selector: selectorWith(t.labelSelector, extra),
    namespaces: namespaces.length === 0 && !namespaceSelector ? [ownNamespace] : namespaces,
    namespaceSelector,
    topologyKey: t.topologyKey,
  };
}

function spreadConstraintOf(c: TopologySpreadConstraint, ownLabels: Readonly<Record<string, string>>): SpreadConstraint {
  const extra: Requirement[] = [];
  for (const key of c.matchLabelKeys ?? []) if (key in ownLabels) extra.push({ key, operator: 'In', values: [ownLabels[key]!] });
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: selectorWith(c.labelSelector, extra),
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: c.nodeAffinityPolicy !== 'Ignore',
    honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

/** A missing labelSelector selects nothing (matchLabelKeys cannot widen it), as in Kubernetes. */
function selectorWith(ls: LabelSelector | undefined, extra: readonly Requirement[]): Selector | null {
  if (!ls) return null;
  const base = selectorFromLabelSelector(ls);
  return extra.length === 0 ? base : new Selector([...base.requirements, ...extra]);
}

/** The facts a term matches a pod on. */
export interface MatchablePod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether the term (owned by some pod) selects the pod: in one of its namespaces, with matching labels. */
export function termMatches(term: AffinityTerm, pod: MatchablePod, namespaceLabels: NamespaceLabels | undefined): boolean {
  if (term.selector === null || !term.selector.matches(pod.labels)) return false;
  if (term.namespaces.includes(pod.namespace)) return true;
  const nsSelector = term.namespaceSelector;
  if (nsSelector === undefined) return false;
  if (nsSelector.isEmpty()) return true;
  const labels = namespaceLabels?.(pod.namespace);
  return labels !== undefined && nsSelector.matches(labels);
}

/** Per topology key, per domain (the key's value on a node): a count or a weight. Nested maps keep
 *  per-node lookups free of string building. */
export class DomainTally {
  private readonly byKey = new Map<string, Map<string, number>>();

  add(topologyKey: string, value: string, n: number): void {
    let values = this.byKey.get(topologyKey);
    if (!values) this.byKey.set(topologyKey, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + n);
  }

  get(topologyKey: string, value: string): number {
    return this.byKey.get(topologyKey)?.get(value) ?? 0;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Whether a node with these labels lies in a domain with a positive count. */
  holdsAny(nodeLabels: Readonly<Record<string, string>>): boolean {
    for (const [key, values] of this.byKey) {
      const value = nodeLabels[key];
      if (value !== undefined && (values.get(value) ?? 0) > 0) return true;
    }
    return false;
  }

  /** Calls fn for each topology key with its domains. */
  forEachKey(fn: (topologyKey: string, values: ReadonlyMap<string, number>) => void): void {
    this.byKey.forEach((values, key) => fn(key, values));
  }
}
