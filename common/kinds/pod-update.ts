// Kubernetes' ValidatePodUpdate: a pod's spec is fixed once created, except container images,
// a shorter (or newly set) activeDeadlineSeconds, added tolerations and removed scheduling gates.
import type { Pod, Toleration } from '../api/types';
import type { FieldIssue } from '../manifest/schema';
import { firstDifference, sameValue } from './paths';

const MUTABLE_FIELDS =
  'spec.containers[*].image, spec.activeDeadlineSeconds or spec.tolerations (only additions to existing tolerations)';

type SpecWithDeadline = Pod['spec'] & { activeDeadlineSeconds?: number; initContainers?: { image?: string }[] };

export function podUpdateIssues(current: Pod, next: Pod): FieldIssue[] {
  const oldSpec = current.spec as SpecWithDeadline;
  const newSpec = next.spec as SpecWithDeadline;
  const deadline = activeDeadlineIssue(oldSpec.activeDeadlineSeconds, newSpec.activeDeadlineSeconds);
  if (deadline) return [deadline];
  const tolerations = tolerationIssue(oldSpec.tolerations ?? [], newSpec.tolerations ?? []);
  if (tolerations) return [tolerations];
  const gates = schedulingGateIssue(oldSpec.schedulingGates ?? [], newSpec.schedulingGates ?? []);
  if (gates) return [gates];

  // Everything else must be equal: compare with the mutable fields taken from the current spec.
  const munged: SpecWithDeadline = {
    ...newSpec,
    containers: newSpec.containers.map((c, i) => ({ ...c, image: oldSpec.containers[i]?.image ?? c.image })),
    tolerations: oldSpec.tolerations,
    activeDeadlineSeconds: oldSpec.activeDeadlineSeconds,
    schedulingGates: oldSpec.schedulingGates,
  };
  if (newSpec.initContainers) {
    munged.initContainers = newSpec.initContainers.map((c, i) => ({ ...c, image: oldSpec.initContainers?.[i]?.image ?? c.image }));
  }
  const differs = firstDifference(oldSpec, munged, 'spec');
  if (!differs) return [];
  return [{ path: 'spec', message: `pod updates may not change fields other than ${MUTABLE_FIELDS}; ${differs} differs` }];
}

/** It may be set when unset, or lowered; never raised or removed. */
function activeDeadlineIssue(before: number | undefined, after: number | undefined): FieldIssue | undefined {
  const path = 'spec.activeDeadlineSeconds';
  if (after === undefined || after === null) {
    return before === undefined || before === null ? undefined : { path, message: 'must not update from a positive integer to nil value' };
  }
  if (before !== undefined && before !== null && after > before) return { path, message: 'must be less than or equal to previous value' };
  return undefined;
}

/** Every existing toleration must still be there; only its tolerationSeconds may change (as Kubernetes). */
function tolerationIssue(before: readonly Toleration[], after: readonly Toleration[]): FieldIssue | undefined {
  for (const old of before) {
    const kept = after.some((t) => sameValue({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept) return { path: 'spec.tolerations', message: 'existing toleration can not be modified except its tolerationSeconds' };
  }
  return undefined;
}

/** Gates may only go (Kubernetes' validateOnlyDeletedSchedulingGates): a pod cannot be held back once created. */
function schedulingGateIssue(before: readonly { name: string }[], after: readonly { name: string }[]): FieldIssue | undefined {
  const existing = new Set(before.map((g) => g.name));
  const added = after.find((g) => !existing.has(g.name));
  return added ? { path: 'spec.schedulingGates', message: `only deletion is allowed, but found new scheduling gate ${JSON.stringify(added.name)}` } : undefined;
}
