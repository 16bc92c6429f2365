// Pod Security Admission for users' writes: a Pod, or a workload's pod template, must meet the
// level its namespace enforces (label pod-security.kubernetes.io/enforce, default baseline). The
// API checks a whole apply before writing any of it, so one refused object stops the set. Pods
// that controllers create from a checked template are written through the store, not here.
import type { KObject, Namespace } from '../../common/api/types';
import { KiteError } from '../../common/errors';
import { DEFAULT_NAMESPACE } from '../../common/kinds/registry';
import { podSecurityLevel, type PodSecurityLevel } from '../../common/kinds/namespace';
import { podSpecOf } from '../../common/kinds/pod-spec-path';
import { sameValue } from '../../common/kinds/paths';
import type { ObjectStore } from '../store/types';
import { podSecurityViolations } from '../security/pod-security';

/** One object a request writes; `existing` is what it replaces (undefined: a create). */
export interface PodSecurityWrite {
  object: KObject;
  existing?: KObject;
}

export class PodSecurityGate {
  constructor(private readonly store: ObjectStore) {}

  /**
   * Throws Forbidden naming every violation of every object in `writes` that breaks its namespace's
   * level. `alongside`: the request's whole set, whose Namespace documents give the level of a
   * namespace the same request creates or relabels. A write that leaves the pod spec as it was is
   * not checked (as Kubernetes exempts pod updates that do not touch it): relabelling a namespace
   * does not lock its existing workloads.
   */
  async check(writes: readonly PodSecurityWrite[], alongside: readonly KObject[] = []): Promise<void> {
    const pending = writes.flatMap((w) => {
      const pod = podSpecOf(w.object);
      if (!pod) return [];
      const before = w.existing && podSpecOf(w.existing);
      if (before && sameValue(before.spec, pod.spec)) return [];
      return [{ object: w.object, ...pod, namespace: w.object.metadata.namespace || DEFAULT_NAMESPACE }];
    });
    if (!pending.length) return;
    const levels = await this.levels(new Set(pending.map((p) => p.namespace)), alongside);
    const refusals = pending.flatMap((p) => {
      const level = levels.get(p.namespace)!;
      const violations = podSecurityViolations(level, p.spec, p.path);
      if (!violations.length) return [];
      const what = violations.map((v) => `${v.path}: ${v.message}`).join('; ');
      return [`${p.object.kind} "${p.object.metadata.name}": violates PodSecurity "${level}": ${what} (namespace "${p.namespace}" enforces "${level}")`];
    });
    if (!refusals.length) return;
    const message = refusals.length === 1 ? refusals[0]! : `${refusals[0]!} (and ${refusals.length - 1} more refused objects); nothing was applied`;
    throw new KiteError('Forbidden', message, refusals);
  }

  private async levels(namespaces: Set<string>, alongside: readonly KObject[]): Promise<Map<string, PodSecurityLevel>> {
    const given = new Map(alongside.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o as Namespace]));
    const out = new Map<string, PodSecurityLevel>();
    await Promise.all(
      [...namespaces].map(async (name) => {
        const ns = given.get(name) ?? (await this.store.get<Namespace>('Namespace', '', name));
        out.set(name, podSecurityLevel(ns));
      }),
    );
    return out;
  }
}
