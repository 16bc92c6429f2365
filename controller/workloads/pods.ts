// Pod facts the workload controllers share: ownership, liveness, readiness and availability,
// and how a pod is stamped out of a template.
import { createHash, randomInt } from 'node:crypto';
import type { KObject, OwnerReference, Pod, PodTemplateSpec } from '../../common/api/types';
import { canonicalJson } from '../../common/canonical';
import { hasReadyCondition, isBeingDeleted, isPodTerminal, podReadyCondition } from '../../common/api/pod';

/** The owner reference with controller=true, if any. */
export function controllerRef(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** "namespace/name" of the controlling owner of the given kind, if obj has one. */
export function ownerKey(obj: KObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  return ref && ref.kind === kind ? `${obj.metadata.namespace ?? 'default'}/${ref.name}` : undefined;
}

export function ownerReferenceTo(owner: KObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export { isPodTerminal as isTerminal } from '../../common/api/pod';

/** Running or about to run, and not being deleted: what an owner counts as a replica. */
export function isLive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isBeingDeleted(pod);
}

/**
 * The pod stopped counting for its owner with this informer event: it was removed, or it was just
 * marked for deletion (Terminating). Owners' delete expectations are met by either.
 */
export function leftOwner(type: string, pod: Pod, old: Pod | undefined): boolean {
  return type === 'DELETED' || (isBeingDeleted(pod) && !!old && !isBeingDeleted(old));
}

export function isPodReady(pod: Pod): boolean {
  if (!isLive(pod)) return false;
  return hasReadyCondition(pod);
}

/**
 * A pod is available once it has been Ready for minReadySeconds. `waitMs` says how long until a
 * Ready-but-not-yet-available pod becomes available, so the caller can look again then.
 */
export function podAvailability(pod: Pod, minReadySeconds: number, nowMs: number): { available: boolean; waitMs: number } {
  if (!isPodReady(pod)) return { available: false, waitMs: Infinity };
  if (minReadySeconds <= 0) return { available: true, waitMs: 0 };
  const since = readySince(pod);
  // Without a transition time we cannot tell how long it has been Ready; count from now is too strict, so trust it.
  if (since === undefined) return { available: true, waitMs: 0 };
  const at = since + minReadySeconds * 1000;
  return nowMs >= at ? { available: true, waitMs: 0 } : { available: false, waitMs: at - nowMs };
}

function readySince(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Five random [a-z0-9], the suffix Kubernetes gives generated names. */
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A stable 10-character hash of a pod template's content (key order does not matter). */
export function templateHash(template: PodTemplateSpec): string {
  return createHash('sha256').update(canonicalJson(template)).digest('hex').slice(0, 10);
}

/** A new pod (not yet created) from a template, controlled by owner. */
export function podFromTemplate(template: PodTemplateSpec, owner: KObject, name: string, extraLabels: Record<string, string> = {}): Pod {
  const spec = structuredClone(template.spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace ?? 'default',
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerReferenceTo(owner)],
    },
    spec,
  };
}

/** A name of at most 63 characters: the base truncated so `<base>-<suffix>` fits. */
export function generatedName(base: string, suffix: string): string {
  const max = 63 - suffix.length - 1;
  return `${base.length > max ? base.slice(0, max).replace(/[-.]+$/, '') : base}-${suffix}`;
}
